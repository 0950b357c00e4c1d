import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { expectNoEnglish, readIn } from '../../helpers/languages.js';
import { freshHearth, memberVisitor, openCircle, saveSettings, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/**
 * Which language a page is in: a member's choice, a visitor's choice from the
 * switch, the browser's Accept-Language, then the instance's own language.
 */
describe('the language Hearth speaks to each person', () => {
  let hearth: Hearth;
  let steward: Visitor;
  before(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
  });
  after(() => hearth.close());

  const visitorIn = (language: string | undefined, path = '/support') => (language ? readIn(new Visitor(hearth), path, language) : new Visitor(hearth).get(path));

  it('follows the browser: German and Spanish pages with <html lang dir>, English otherwise', async () => {
    const de = await visitorIn('de-AT,de;q=0.9,en;q=0.5');
    expect(de.text).to.contain('<html lang="de" dir="ltr">');
    expect(de.text).to.contain('Magst du mit jemandem reden');
    expect(de.text).to.contain('Unser Versprechen:');
    expect(de.headers.vary).to.match(/Accept-Language/i);
    const es = await visitorIn('es-MX,es;q=0.8');
    expect(es.text).to.contain('<html lang="es" dir="ltr">');
    expect(es.text).to.contain('Nuestro compromiso:');
    const fr = await visitorIn('fr-FR,fr;q=0.9');
    expect(fr.text).to.contain('<html lang="en" dir="ltr">');
    expect(fr.text).to.contain('Our promise:');
    for (const page of [de, es]) expectNoEnglish(page.text, ['Our promise:']);
  });

  it('keeps each language’s page apart in the visitors’ cache', async () => {
    await visitorIn('de', '/search');
    await visitorIn('es', '/search');
    const de = await visitorIn('de', '/search');
    const es = await visitorIn('es', '/search');
    expect(de.text).to.contain('Wonach suchst du?');
    expect(es.text).to.contain('Qué palabras buscas');
  });

  it('lets a visitor choose with the switch on every page, kept in a cookie, and goes back where they were', async () => {
    const v = new Visitor(hearth);
    const page = (await readIn(v, '/support', 'en')).text.replace(/&#x3D;/g, '=');
    expect(page).to.contain('href="/language/de?back=%2Fsupport"');
    expect(page).to.match(/<a href="\/language\/es\?back=%2Fsupport" hreflang="es" lang="es"[^>]*>Español<\/a>/);
    const chosen = await v.agent.get('/language/es?back=%2Fsupport');
    expect(chosen.status).to.equal(303);
    expect(chosen.headers.location).to.equal('/support');
    const after = await readIn(v, '/support', 'de');
    expect(after.text).to.contain('<html lang="es"');
    // Only this site's paths: never a way out to another host.
    expect((await v.agent.get('/language/de?back=%2F%2Fevil.example')).headers.location).to.equal('/');
    expect((await v.agent.get('/language/xx')).status).to.equal(404);
  });

  it('shows a member the language they chose, whatever their browser asks for, and refuses one Hearth does not speak', async () => {
    const m = await memberVisitor(hearth, 'wren');
    expect((await saveSettings(m, { language: 'es' })).status).to.equal(303);
    const page = await readIn(m, '/notifications', 'de');
    expect(page.text).to.contain('<html lang="es"');
    expect(page.text).to.contain('De qué quiero enterarme');
    expect(page.headers['cache-control']).to.contain('no-store');
    const refused = await saveSettings(m, { language: 'xx', displayName: 'Wren W.' });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Elige uno de los idiomas que habla Hearth.');
    expect(refused.text).to.contain('value="Wren W."');
    expect((await hearth.db.query<{ language: string }>("SELECT language FROM members WHERE handle = 'wren'"))[0]!.language).to.equal('es');
    // The switch's form saves the choice too.
    const switched = await m.submit('/notifications', '/settings/language', { language: 'de', back: '/notifications' });
    expect(switched.status).to.equal(303);
    expect(switched.headers.location).to.equal('/notifications');
    expect((await m.get('/notifications')).text).to.contain('Worüber ich Bescheid bekomme');
  });

  it('uses the instance’s language for visitors whose browser asks for none Hearth speaks', async () => {
    const values = { name: 'Test Hearth', description: 'For tests', registrationMode: 'open', timeZone: 'UTC' };
    expect((await steward.submit('/steward', '/steward/settings', { ...values, language: 'de' })).status).to.equal(303);
    expect((await visitorIn('fr')).text).to.contain('<html lang="de"');
    expect((await visitorIn(undefined)).text).to.contain('<html lang="de"');
    expect((await visitorIn('en')).text).to.contain('<html lang="en"');
    const refused = await steward.submit('/steward', '/steward/settings', { ...values, language: 'klingon' });
    expect(refused.status).to.equal(400);
    expect((await steward.submit('/steward', '/steward/settings', { ...values, language: 'en' })).status).to.equal(303);
  });

  it('writes dates, numbers and plurals the reader’s way, and field problems in their language', async () => {
    const m = await memberVisitor(hearth, 'ash');
    await startThread(m, 'voices', { title: 'Voices at night', body: 'They were loud tonight.' });
    const de = await readIn(m, '/search?q=voices&from=2026-13-01', 'de');
    expect(de.status).to.equal(400);
    expect(de.text).to.contain('Gib einen Tag bitte als Jahr-Monat-Tag an');
    const found = await readIn(m, '/search?q=voices', 'de');
    expect(found.text).to.contain('1 Treffer');
    expect(found.text).to.match(/Begonnen in <a href="\/c\/voices">Hearing voices<\/a> von <span class="handle">@ash<\/span>/);
    const es = await readIn(new Visitor(hearth), '/search?q=voices', 'es');
    expect(es.text).to.contain('1 resultado');
    // A month in German: "26. Nov. 2026" rather than "26 Nov 2026".
    expect(found.text).to.match(/<time datetime="[^"]+">\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+\.? \d{4}/);
  });
});
