// Small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // Move focus to the list of problems after a form comes back with errors,
  // so screen-reader users hear what needs another look.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // A quiet character count under long text boxes that have a limit.
  document.querySelectorAll('textarea[maxlength]').forEach(function (box) {
    var max = Number(box.getAttribute('maxlength'));
    if (!max || max < 500) return;
    var note = document.createElement('p');
    note.className = 'char-count';
    note.setAttribute('aria-live', 'polite');
    box.insertAdjacentElement('afterend', note);
    var update = function () {
      var left = max - box.value.length;
      note.textContent = left < max * 0.1 ? left + ' characters left' : '';
    };
    box.addEventListener('input', update);
    update();
  });
})();
