// Small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // Move focus to the list of problems after a form comes back with errors,
  // so screen-reader users hear what needs another look.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // The navigation's menus are <details> and work without this script; with
  // it, a click elsewhere or Escape closes an open one, as menus usually do.
  var menus = document.querySelectorAll('details.member-menu, details.phone-menu');
  document.addEventListener('click', function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    menus.forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      menu.querySelector('summary').focus();
    });
  });

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

  // A member who has not chosen a time zone yet: suggest the one their browser
  // uses, and say so. Without this script the list simply stays on the
  // instance's zone, and any zone can be chosen by hand.
  var zoneSelect = document.querySelector('select[data-suggest-zone]');
  if (zoneSelect && zoneSelect.value === '') {
    var guess = '';
    try {
      guess = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch (error) {
      guess = ''; // An old browser without Intl: nothing to suggest.
    }
    var guessed = null;
    for (var i = 0; i < zoneSelect.options.length; i++) {
      if (guess && zoneSelect.options[i].value === guess) guessed = zoneSelect.options[i];
    }
    if (guessed) {
      zoneSelect.value = guess;
      var notice = document.createElement('div');
      notice.className = 'notice zone-guess';
      notice.setAttribute('role', 'status');
      var text = document.createElement('p');
      text.textContent = 'We guessed your time zone from your browser: ' + guessed.text + '. Save to keep it, or choose another.';
      var undo = document.createElement('button');
      undo.type = 'button';
      undo.className = 'secondary';
      undo.textContent = 'No thanks, keep the instance’s time';
      undo.addEventListener('click', function () {
        zoneSelect.value = '';
        notice.remove();
        zoneSelect.focus();
      });
      notice.appendChild(text);
      notice.appendChild(undo);
      zoneSelect.insertAdjacentElement('afterend', notice);
    }
  }
})();
