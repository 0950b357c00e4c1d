import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { expectNoEnglish, pageIn, readIn, sendIn } from '../../helpers/languages.js';
import { freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';

const DAY = 86_400_000;

describe('governance and the stewards’ tools in German and Spanish', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let river: Visitor;
  let ash: Visitor;
  let birch: Visitor;

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    river = await withSteward(hearth);
    await openCircle(river, 'voices', 'Hearing voices');
    ash = await memberVisitor(hearth, 'ash');
    birch = await memberVisitor(hearth, 'birch');
    for (const v of [ash, birch]) expect((await v.submit('/c/voices/moderation', '/c/voices/join', {})).status).to.equal(303);
  });
  afterEach(() => hearth.close());

  it('shows a circle’s safety and rules pages in German and Spanish', async () => {
    const de = await pageIn(river, '/c/voices/moderation', 'de');
    expect(de).to.contain('<html lang="de"');
    expect(de).to.contain('Wie Hearing voices geschützt wird');
    expect(de).to.contain('Unsere Vereinbarungen');
    expect(de).to.contain('Regeln fürs Schreiben');
    expect(de).to.match(/Moderator\*innen bleiben \d+ Tage im Amt/);
    expectNoEnglish(de, ['kept safe', 'Our agreements', 'Posting rules', 'Moderators serve for', 'No proposals yet.']);

    const rulesDe = await pageIn(river, '/c/voices/rules', 'de');
    expect(rulesDe).to.contain('Regeln von Hearing voices');
    expect(rulesDe).to.contain('Wie Moderator*innen Rechenschaft ablegen');
    expect(rulesDe).to.contain('Regeln speichern');
    expectNoEnglish(rulesDe, ['Rules of', 'What holds moderators to account', 'Save the rules', 'Hold a new member']);

    const rulesEs = await pageIn(river, '/c/voices/rules', 'es');
    expect(rulesEs).to.contain('<html lang="es"');
    expect(rulesEs).to.contain('Reglas de Hearing voices');
    expect(rulesEs).to.contain('Cómo rinden cuentas las personas moderadoras');
    expect(rulesEs).to.contain('Guardar las reglas');
    expectNoEnglish(rulesEs, ['Rules of', 'What holds moderators to account', 'Save the rules', 'Hold a new member']);

    // A refusal comes back in the page's language too.
    const refused = await sendIn(river, '/c/voices/rules', '/c/voices/rules', { termDays: '5' }, 'de');
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Die Amtszeit muss eine ganze Zahl von');
    expect(refused.text).to.contain('Bei einigen Angaben fehlt noch etwas.');
    expectNoEnglish(refused.text, ['must be a whole number', 'Some of what you entered needs another look.']);
  });

  it('shows a proposal with its vote counts in German and Spanish', async () => {
    const opened = await ash.submit('/c/voices/proposals/new?kind=agreement_change', '/c/voices/proposals', {
      kind: 'agreement_change',
      change: 'add',
      text: 'We listen before we answer.',
      mode: 'majority',
      votingDays: '2',
    });
    expect(opened.status, opened.text).to.equal(303);
    const path = opened.headers.location as string;

    const open = await pageIn(ash, path, 'de');
    expect(open).to.match(/\d+ Mitglieder können abstimmen, \d+ Stimmen? braucht es, damit es zählt/);
    expect(open).to.contain('Meine Stimme abgeben');
    expect(open).to.contain('Eine neue Vereinbarung hinzufügen');
    expectNoEnglish(open, ['can vote', 'Cast my vote', 'Add a new agreement', 'Nobody has written here yet.']);

    for (const v of [ash, birch]) expect((await v.submit(path, `${path}/vote`, { choice: 'yes' })).status).to.equal(303);
    clock.advance(2 * DAY + 1000);
    await hearth.services.moderation.settleDue();

    const de = await pageIn(new Visitor(hearth), path, 'de');
    expect(de).to.contain('<html lang="de"');
    expect(de).to.contain('Ergebnis');
    expect(de).to.contain('2 Personen haben abgestimmt.');
    expect(de).to.contain('ja: 2');
    expect(de).to.contain('<a href="/login">Melde dich an</a>, um mitzureden.');
    expectNoEnglish(de, ['voted.', '>Result<', 'majority vote', 'to join the discussion', 'decided <time']);

    const es = await pageIn(new Visitor(hearth), path, 'es');
    expect(es).to.contain('<html lang="es"');
    expect(es).to.contain('Resultado');
    expect(es).to.contain('Votaron 2 personas.');
    expect(es).to.contain('sí: 2');
    expect(es).to.match(/\d+ miembros pueden votar; (hace falta 1 voto|hacen falta \d+ votos) para que cuente/);
    expect(es).to.match(/decidida <time datetime="[^"]+">/);
    expectNoEnglish(es, ['voted.', '>Result<', 'majority vote', 'to join the discussion']);
  });

  it('shows the steward settings and the Health page in German', async () => {
    const settings = await pageIn(river, '/steward', 'de');
    expect(settings).to.contain('<html lang="de"');
    expect(settings).to.contain('Einstellungen der Instanz');
    expect(settings).to.contain('Wie Menschen mitmachen');
    expect(settings).to.contain('Offen: alle können ein Konto anlegen');
    expect(settings).to.contain('Für Verwalter*innen');
    expectNoEnglish(settings, ['Instance settings', 'How people join', 'anyone can create an account', 'Open a circle', 'Support lines']);

    await river.agent.post('/inbox').set('Content-Type', 'text/plain').send('hello');
    const health = await pageIn(river, '/steward/health', 'de');
    expect(health).to.contain('Zustellungen an andere Server');
    expect(health).to.contain('Größe der Datenbank');
    expect(health).to.contain('keine Aktivität');
    expect(health).to.match(/Größe der Datenbank<\/dt><dd>\d+(,\d)? (KB|MB|GB)/);
    expectNoEnglish(health, ['Deliveries to other servers', 'Database size', 'not an activity', 'Hearth version', 'Last backup']);

    const stewards = await pageIn(new Visitor(hearth), '/stewards', 'es');
    expect(stewards).to.contain('Las reglas de la instancia');
    expect(stewards).to.contain('Quién decide las solicitudes para unirse');
    expect(stewards).to.contain('las personas cuidadoras');
    expectNoEnglish(stewards, ['The instance’s rules', 'Who decides requests to join', 'The stewards now']);
  });
  it('gives proposals their titles in the instance’s language', async () => {
    const saved = await river.submit('/steward', '/steward/settings', {
      name: 'Test Hearth', description: 'For tests', registrationMode: 'open', timeZone: 'UTC', language: 'de',
    });
    expect(saved.status, saved.text).to.equal(303);
    const opened = await ash.submit('/c/voices/proposals/new?kind=agreement_change', '/c/voices/proposals', {
      kind: 'agreement_change', change: 'add', text: 'Wir hören zu, bevor wir antworten.', mode: 'majority', votingDays: '2',
    });
    expect(opened.status, opened.text).to.equal(303);
    // A browser asking for a language Hearth doesn't speak reads the instance's.
    const page = (await readIn(new Visitor(hearth), opened.headers.location as string, 'fr')).text;
    expect(page).to.contain('<html lang="de"');
    expect(page).to.contain('<h1>Eine Vereinbarung zu Hearing voices hinzufügen</h1>');
    expectNoEnglish(page, ['Add an agreement to']);
  });
});
