import { expect } from 'chai';
import Handlebars from 'handlebars';
import { viewHelpers } from '../../../src/web/view-helpers.js';

/** A template rendered with Hearth's helpers, as a page in `locale`. */
function render(source: string, locale: string, context: Record<string, unknown>): string {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(viewHelpers)) hb.registerHelper(name, helper as Handlebars.HelperDelegate);
  return hb.compile(source)({ locale, viewerTimeZone: 'Europe/Berlin', ...context });
}

describe('{{t}} with a date inside a sentence', () => {
  const at = new Date('2026-11-22T10:05:00Z');

  it('keeps the date’s <time> element and escapes every other value', () => {
    const html = render('{{t "governance.invites.expires" when=(dateTime at)}}', 'de', { at });
    expect(html).to.match(/^läuft ab <time datetime="2026-11-22T10:05:00.000Z">22\. Nov\. 2026, 11:05 [^<]+<\/time>$/);
    const named = render('{{t "governance.welcome.asked_on_named" handle=handle name=name when=(dateTime at)}}', 'es', { at, handle: 'ash', name: '<b>Ash</b>' });
    expect(named).to.match(/^<strong>@ash<\/strong> \(&lt;b&gt;Ash&lt;\/b&gt;\) lo pidió el <time datetime="2026-11-22T10:05:00.000Z">[^<]+<\/time>$/);
  });

  it('escapes a plain message as before when no value is HTML', () => {
    expect(render('{{t "governance.support.remove" name=name}}', 'en', { name: '<i>Line</i>' })).to.equal('Remove &lt;i&gt;Line&lt;/i&gt;');
  });
});
