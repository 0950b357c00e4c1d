import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { expectNoEnglish, readIn, sendIn } from '../../helpers/languages.js';
import { freshHearth, memberVisitor, saveSettings, Visitor, withSteward } from '../../helpers/test-hearth.js';

describe('accounts and personal settings, in German and Spanish', () => {
  let hearth: Hearth;
  beforeEach(async () => {
    hearth = await freshHearth();
    await withSteward(hearth);
  });
  afterEach(() => hearth.close());

  it('shows the login and joining pages in the browser’s language', async () => {
    const visitor = new Visitor(hearth);
    const login = await readIn(visitor, '/login', 'de-DE,de;q=0.9');
    expect(login.status).to.equal(200);
    expect(login.text).to.contain('<html lang="de"');
    expect(login.text).to.contain('<h1>Anmelden</h1>');
    expect(login.text).to.contain('Passwort');
    expect(login.text).to.contain('Neu hier?');
    expectNoEnglish(login.text, ['<h1>Log in</h1>', 'New here?', 'Forgotten your password?', '>Password<']);

    const join = await readIn(visitor, '/register', 'es');
    expect(join.text).to.contain('<html lang="es"');
    expect(join.text).to.contain('Unirme a Test Hearth');
    expect(join.text).to.contain('Contraseña');
    expect(join.text).to.contain('Identificador');
    expectNoEnglish(join.text, ['Already a member?', 'A few words strung together work well.', 'Only if you want it']);

    const recover = await readIn(visitor, '/login/recover', 'de');
    expect(recover.text).to.contain('Mit einem Wiederherstellungscode anmelden');
    expectNoEnglish(recover.text, ['Log in with a recovery code', 'Set my new password']);
  });

  it('words a refused registration in German, next to its field', async () => {
    const visitor = new Visitor(hearth);
    const refused = await sendIn(visitor, '/register', '/register', { handle: 'amsel', password: 'kurz' }, 'de');
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('<html lang="de"');
    expect(refused.text).to.contain('Nimm bitte mindestens');
    expect(refused.text).to.contain('Bei einigen Angaben fehlt noch etwas.');
    expectNoEnglish(refused.text, ['Please use at least', 'needs another look']);
    // What was typed is kept.
    expect(refused.text).to.contain('value="amsel"');

    const badHandle = await sendIn(visitor, '/register', '/register', { handle: 'Amsel Drossel!', password: 'ein langes Passwort' }, 'es');
    expect(badHandle.status).to.equal(400);
    expect(badHandle.text).to.contain('Un identificador solo usa letras minúsculas');
    expectNoEnglish(badHandle.text, ['A handle uses lower-case letters']);
  });

  it('shows a member’s settings in German and in Spanish', async () => {
    const wren = await memberVisitor(hearth, 'wren');
    const de = await readIn(wren, '/settings/profile', 'de');
    expect(de.text).to.contain('<html lang="de"');
    expect(de.text).to.contain('<h1>Dein Profil</h1>');
    expect(de.text).to.contain('Stummgeschaltete Wörter');
    expect(de.text).to.contain('Wer ein Gespräch mit dir beginnen darf');
    expectNoEnglish(de.text, ['Your profile', 'Muted words', 'Share only what you want others to see.', 'Who may start a conversation with you', 'Looking after yourself']);

    const es = await readIn(wren, '/settings/profile', 'es');
    expect(es.text).to.contain('<html lang="es"');
    expect(es.text).to.contain('<h1>Tu perfil</h1>');
    expect(es.text).to.contain('Palabras silenciadas');
    expectNoEnglish(es.text, ['Your profile', 'Muted words', 'Privacy</h2>']);

    for (const [path, german, english] of [
      ['/settings/password', 'Passwort und Wiederherstellungscodes', 'Recovery codes are a way back in'],
      ['/settings/avatar', 'Dein Bild', 'Choose a picture'],
      ['/settings/leave', 'Eine Kopie von allem mitnehmen', 'Take a copy of everything'],
      ['/settings/break', 'Eine Pause machen', 'Quiet hours'],
      ['/settings/what-helps-me', 'Frühe Zeichen, die ich bemerke', 'Early signs I notice'],
    ] as const) {
      const page = await readIn(wren, path, 'de');
      expect(page.status, path).to.equal(200);
      expect(page.text, path).to.contain(german);
      expectNoEnglish(page.text, [english]);
    }
  });

  it('words a refused setting in Spanish, with the field’s own label', async () => {
    const wren = await memberVisitor(hearth, 'wren');
    const refused = await sendIn(wren, '/settings/break', '/settings/break', { quietFrom: '25:00', quietTo: '07:00', timeZone: 'UTC', dailyMinutes: '', lockUntil: '' }, 'es');
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Escribe una hora como 22:00, por favor.');
    expectNoEnglish(refused.text, ['Please give a time like']);
  });

  it('keeps a member who chose Spanish in Spanish, whatever the browser asks for', async () => {
    const wren = await memberVisitor(hearth, 'wren');
    expect((await saveSettings(wren, { language: 'es' })).status).to.equal(303);
    for (const path of ['/settings/profile', '/settings/password', '/settings/what-helps-me']) {
      const page = await readIn(wren, path, 'de');
      expect(page.text, path).to.contain('<html lang="es"');
      expect(page.text, path).not.to.contain('<html lang="de"');
    }
    const password = await readIn(wren, '/settings/password', 'de');
    expect(password.text).to.contain('Contraseña y códigos de recuperación');
    expectNoEnglish(password.text, ['Password and recovery codes', 'Passwort und Wiederherstellungscodes']);
  });
});
