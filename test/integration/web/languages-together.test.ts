import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { expectNoEnglish, readIn } from '../../helpers/languages.js';
import { freshHearth, memberVisitor, openCircle, saveSettings, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** The second Tuesday of March 2026, repeating on every second Tuesday. */
const MONTHLY = {
  title: 'Tuesday evening group',
  description: '',
  startDate: '2026-03-10',
  startTime: '19:00',
  timeZone: 'Europe/Berlin',
  duration: '',
  recurrence: 'monthly',
  repeatUntil: '',
  place: 'Community centre',
  link: '',
  contact: 'Ask river here',
};

/** What none of these pages may show in another language: English sentences of the page, or a message printed raw. */
const speaks = (text: string, lang: 'de' | 'es', english: string[]) => expectNoEnglish(text, english, { lang });

describe('meetings, conversations and check-ins in German and Spanish', () => {
  let hearth: Hearth;
  let steward: Visitor;
  let meetingPath: string;
  beforeEach(async () => {
    hearth = await freshHearth({ clock: new ManualClock(new Date('2026-03-01T12:00:00Z')) });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    const made = await steward.submit('/c/voices/meetings', '/c/voices/meetings', MONTHLY);
    expect(made.status, made.text).to.equal(303);
    meetingPath = made.headers.location!;
  });
  afterEach(() => hearth.close());

  const read = (path: string, lang: string) => readIn(new Visitor(hearth), path, lang);

  it('shows the meetings list and a repeating meeting in German', async () => {
    const list = await read('/meetings', 'de');
    expect(list.status).to.equal(200);
    speaks(list.text, 'de', ['Upcoming meetings of the circles', 'Every ', 'Next:', 'subscribe to the calendar', 'your time']);
    expect(list.text).to.contain('<h1>Treffen</h1>');
    expect(list.text).to.contain('Jeden zweiten Dienstag im Monat');
    expect(list.text).to.contain('Dienstag, 10. März 2026, 19:00–20:30');
    expect(list.text).to.contain('Zeitzone Europe/Berlin, UTC+01:00');
    expect(list.text).to.contain('Kalender abonnieren');

    const page = await read(meetingPath, 'de');
    speaks(page.text, 'de', ['Next dates', 'Who to contact', 'Every ', ' hour', 'minutes']);
    expect(page.text).to.contain('Jeden zweiten Dienstag im Monat · 1 Stunde 30 Minuten');
    expect(page.text).to.contain('Nächste Termine');
    expect(page.text).to.contain('Dienstag, 14. April 2026, 19:00–20:30');
    expect(page.text).to.contain('Ansprechperson');
  });

  it('shows the meetings list and a repeating meeting in Spanish', async () => {
    const list = await read('/meetings', 'es');
    speaks(list.text, 'es', ['Upcoming meetings of the circles', 'Every ', 'Next:', 'subscribe to the calendar']);
    expect(list.text).to.contain('<h1>Encuentros</h1>');
    expect(list.text).to.contain('El segundo martes de cada mes');
    expect(list.text).to.contain('martes, 10 de marzo de 2026, 19:00–20:30');

    const page = await read(meetingPath, 'es');
    speaks(page.text, 'es', ['Next dates', 'Who to contact', 'Every ', ' hour', 'minutes']);
    expect(page.text).to.contain('El segundo martes de cada mes · 1 hora 30 minutos');
    expect(page.text).to.contain('Próximas fechas');
    expect(page.text).to.contain('A quién preguntar');

    const circle = await read('/c/voices/meetings', 'es');
    speaks(circle.text, 'es', ['Meetings of', 'Add a meeting']);
    expect(circle.text).to.contain('Encuentros de Hearing voices');
  });

  it('explains a problem with the new-meeting form in German, next to its field', async () => {
    const chosen = await steward.submit('/', '/settings/language', { language: 'de', back: '/c/voices/meetings' });
    expect(chosen.status, chosen.text).to.equal(303);
    const form = await steward.get('/c/voices/meetings');
    speaks(form.text, 'de', ['Add a meeting', 'Does it repeat?', 'Who to contact', 'Time zone']);
    expect(form.text).to.contain('Ein Treffen eintragen');
    expect(form.text).to.contain('Wiederholt es sich?');

    const refused = await steward.submit('/c/voices/meetings', '/c/voices/meetings', { ...MONTHLY, title: '', place: '', startTime: '7pm' });
    expect(refused.status).to.equal(400);
    speaks(refused.text, 'de', ['can’t be empty', 'Say where', 'Write the time as']);
    expect(refused.text).to.contain('„Titel“ darf nicht leer sein.');
    expect(refused.text).to.contain('Sag, wo: ein Ort, ein Link oder beides.');
    expect(refused.text).to.contain('Schreib die Uhrzeit als HH:MM im 24-Stunden-Format, zum Beispiel 19:00.');
  });

  it('writes a calendar file fetched with a German member’s session in German', async () => {
    await steward.submit('/', '/settings/language', { language: 'de', back: '/' });
    const ics = await steward.agent.get('/c/voices/meetings.ics');
    expect(ics.status).to.equal(200);
    const text = ics.text.replace(/\r\n /g, '');
    expect(text).to.contain('X-WR-CALNAME:Treffen von Hearing voices');
    expect(text).to.contain('Ansprechperson: Ask river here');
    expect(text).not.to.contain('Who to contact');
    // Without a member's or browser's choice it stays in the instance's language.
    const plain = await new Visitor(hearth).agent.get('/c/voices/meetings.ics');
    expect(plain.text).to.contain('X-WR-CALNAME:Meetings of Hearing voices');
  });

  it('shows the conversations page and a conversation in German and Spanish', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const started = await steward.submit('/conversations/new', '/conversations/new', { to: 'alice', body: 'Hello there' });
    expect(started.status, started.text).to.equal(303);
    const conversation = started.headers.location!.split('#')[0]!;

    const de = await readIn(alice, '/conversations', 'de');
    speaks(de.text, 'de', ['Conversations stay on this instance', 'Start a conversation', 'Requests', 'Your conversations', 'No conversations yet']);
    expect(de.text).to.contain('<h1>Gespräche</h1>');
    expect(de.text).to.contain('Anfragen');
    expect(de.text).to.contain('Von river');

    const request = await readIn(alice, conversation, 'de');
    speaks(request.text, 'de', ['A request', 'before. Accept to reply', 'Leave this conversation']);
    expect(request.text).to.contain('Du hast mit @river noch nicht geschrieben.');

    const es = await readIn(steward, '/conversations', 'es');
    speaks(es.text, 'es', ['Conversations stay on this instance', 'Start a conversation', 'Your conversations', 'last message']);
    expect(es.text).to.contain('<h1>Conversaciones</h1>');
    expect(es.text).to.contain('Con alice');
    expect(es.text).to.contain('último mensaje');

    const mine = await readIn(steward, conversation, 'es');
    speaks(mine.text, 'es', ['Conversation with', 'Your message', 'Leave this conversation']);
    expect(mine.text).to.contain('Conversación con alice');
  });

  it('shows the check-ins page in Spanish', async () => {
    const page = await readIn(steward, '/check-ins', 'es');
    speaks(page.text, 'es', ['Check-ins with you', 'Offer your time', 'Who may check in on you', 'Any peer who offered']);
    expect(page.text).to.contain('<h1>Acompañamientos</h1>');
    expect(page.text).to.contain('Cualquier persona par que se ofreció a acompañar');
  });
});
