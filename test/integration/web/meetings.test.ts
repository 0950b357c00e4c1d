import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';

const WEEKLY = {
  title: 'Tuesday evening group',
  description: 'We *listen*, and share if we want to.',
  startDate: '2026-03-03',
  startTime: '19:00',
  timeZone: 'Europe/Berlin',
  duration: '',
  recurrence: 'weekly',
  repeatUntil: '',
  place: 'Community centre, Elm Street 4; room 2',
  link: 'https://meet.example/voices',
  contact: 'Ask river here',
};

const meetingIds = async (hearth: Hearth) =>
  (await hearth.db.query<{ id: number }>('SELECT id FROM circle_meetings ORDER BY id')).map((r) => r.id);

describe('circle meetings', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let steward: Visitor;
  beforeEach(async () => {
    // A Sunday, two days before the first meeting and four weeks before the clocks change in Berlin.
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    await openCircle(steward, 'inner', 'Inner circle', 'members');
  });
  afterEach(() => hearth.close());

  const schedule = (v: Visitor, slug: string, fields: Record<string, string>) => v.submit(`/c/${slug}/meetings`, `/c/${slug}/meetings`, fields);

  it('lists a weekly meeting in its own time zone, staying at 19:00 local when the clocks change', async () => {
    const res = await schedule(steward, 'voices', WEEKLY);
    expect(res.status, res.text).to.equal(303);
    const [id] = await meetingIds(hearth);
    expect(res.headers.location).to.equal(`/c/voices/meetings/${id}`);

    const page = await new Visitor(hearth).get(`/c/voices/meetings/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<h1>Tuesday evening group</h1>');
    expect(page.text).to.contain('Every Tuesday · 1 hour 30 minutes');
    expect(page.text).to.contain('<time datetime="2026-03-03T19:00:00+01:00">Tuesday 3 March 2026, 19:00–20:30</time> <span class="zone">(Europe/Berlin time, UTC+01:00)</span>');
    expect(page.text).to.contain('<time datetime="2026-03-31T19:00:00+02:00">Tuesday 31 March 2026, 19:00–20:30</time> <span class="zone">(Europe/Berlin time, UTC+02:00)</span>');
    expect(page.text).to.contain('<em>listen</em>');
    expect(page.text).to.contain('href="https://meet.example/voices"');
    expect(page.text).to.contain('Ask river here');

    const circle = await new Visitor(hearth).get('/c/voices');
    expect(circle.text).to.contain('Upcoming meetings');
    expect(circle.text).to.contain(`href="/c/voices/meetings/${id}">Tuesday evening group</a>`);
    expect(circle.text).to.contain('Tuesday 3 March 2026, 19:00–20:30');

    const all = await new Visitor(hearth).get('/meetings');
    expect(all.text).to.contain('Tuesday evening group');
    expect(all.text).to.contain('href="/c/voices">Hearing voices</a>');
    expect((await new Visitor(hearth).get('/')).text).to.contain('<a href="/meetings">Meetings</a>');

    // A week later, the first date has passed and the list moves on.
    clock.advance(7 * 86_400_000);
    const later = await new Visitor(hearth).get(`/c/voices/meetings/${id}?later=1`);
    expect(later.text).not.to.contain('3 March 2026');
    expect(later.text).to.contain('Tuesday 10 March 2026, 19:00–20:30');
  });

  it('explains each problem next to its field, keeps what was typed, and stores nothing', async () => {
    const res = await schedule(steward, 'voices', {
      ...WEEKLY,
      title: '',
      startDate: '2026-02-30',
      startTime: '25:00',
      timeZone: 'Mars/Olympus_Mons',
      duration: '0',
      place: '',
      link: 'javascript:alert(1)',
    });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('The title can’t be empty.');
    expect(res.text).to.contain('That date doesn’t exist in the calendar.');
    expect(res.text).to.contain('Write the time as HH:MM on a 24-hour clock');
    expect(res.text).to.contain('Hearth doesn’t know that time zone.');
    expect(res.text).to.contain('Give the length in minutes, from 5 to 1,440');
    expect(res.text).to.contain('Use a web address that starts with https://');
    expect(res.text).to.contain('value="Mars/Olympus_Mons"');
    expect(res.text).to.contain('value="javascript:alert(1)"');
    expect(res.text).to.contain('We *listen*, and share if we want to.</textarea>');
    expect(res.text).to.match(/id="recurrence-weekly" name="recurrence" value="weekly" checked/);

    const cases: Array<[Record<string, string>, string]> = [
      [{ startDate: '2028-06-01' }, 'Choose a date within the next two years.'],
      [{ startDate: '2026-02-20', recurrence: 'none' }, 'That time has already passed.'],
      [{ startDate: '2024-01-02' }, 'Choose a first date within the last year'],
      [{ repeatUntil: '2026-03-01', startDate: '2026-03-10' }, 'The last date can’t be before the first one.'],
      [{ place: '', link: '' }, 'Say where: a place, a link, or both.'],
      [{ link: 'http://meet.example/plain' }, 'Use a web address that starts with https://'],
      [{ timeZone: '+01:00' }, 'Hearth doesn’t know that time zone.'],
      [{ recurrence: 'daily' }, 'Choose whether it happens once, every week or every month.'],
      [{ title: 'x'.repeat(151) }, 'The title can be at most 150 characters'],
    ];
    for (const [change, message] of cases) {
      const r = await schedule(steward, 'voices', { ...WEEKLY, ...change });
      expect(r.status, message).to.equal(400);
      expect(r.text, message).to.contain(message);
    }
    expect(await meetingIds(hearth)).to.deep.equal([]);

    // Zones are read whatever their case, and kept under their proper name.
    expect((await schedule(steward, 'voices', { ...WEEKLY, timeZone: 'europe/berlin' })).status).to.equal(303);
    expect((await hearth.db.query<{ time_zone: string }>('SELECT time_zone FROM circle_meetings'))[0]!.time_zone).to.equal('Europe/Berlin');
  });

  it('lets the circle’s keepers change and cancel a meeting; others cannot', async () => {
    await schedule(steward, 'voices', WEEKLY);
    const [id] = await meetingIds(hearth);
    const path = `/c/voices/meetings/${id}`;

    const alice = await memberVisitor(hearth, 'alice');
    const list = await alice.get('/c/voices/meetings');
    expect(list.text).to.contain('Tuesday evening group');
    expect(list.text).not.to.contain('Add a meeting');
    expect(list.text).not.to.contain(`${path}/edit`);
    expect((await alice.get(`${path}/edit`)).status).to.equal(403);
    const token = await alice.token('/c/voices/meetings');
    const tryAs = (v: Visitor, action: string, fields: Record<string, string>) =>
      v.agent.post(action).type('form').set('Accept', 'text/html').send({ ...fields, _csrf: token });
    expect((await tryAs(alice, '/c/voices/meetings', WEEKLY)).status).to.equal(403);
    expect((await tryAs(alice, `${path}/edit`, { ...WEEKLY, title: 'Taken over' })).status).to.equal(403);
    expect((await tryAs(alice, `${path}/cancel`, {})).status).to.equal(403);
    const visitor = new Visitor(hearth);
    const visitorToken = await visitor.token('/login');
    const asVisitor = await visitor.agent.post('/c/voices/meetings').type('form').send({ ...WEEKLY, _csrf: visitorToken });
    expect(asVisitor.status).to.equal(401);
    expect(await meetingIds(hearth)).to.deep.equal([id]);

    // The steward changes the time: calendar apps see a new SEQUENCE.
    const edit = await steward.get(`${path}/edit`);
    expect(edit.text).to.contain('value="Tuesday evening group"');
    expect(edit.text).to.contain('value="2026-03-03"');
    const bad = await steward.submit(`${path}/edit`, `${path}/edit`, { ...WEEKLY, startTime: '7pm' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('value="7pm"');
    const saved = await steward.submit(`${path}/edit`, `${path}/edit`, { ...WEEKLY, startTime: '18:30', duration: '60' });
    expect(saved.status).to.equal(303);
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain('Tuesday 3 March 2026, 18:30–19:30');
    expect((await supertest(hearth.app).get('/c/voices/meetings.ics')).text).to.contain('SEQUENCE:1\r\n');

    // More than a year on, a meeting that still repeats can be changed without moving its first date.
    clock.advance(400 * 86_400_000);
    const later = await steward.submit(`${path}/edit`, `${path}/edit`, { ...WEEKLY, startTime: '18:30', duration: '60', contact: 'Ask willow' });
    expect(later.status, later.text).to.equal(303);
    const moved = await steward.submit(`${path}/edit`, `${path}/edit`, { ...WEEKLY, startDate: '2026-03-10' });
    expect(moved.status).to.equal(400);
    expect(moved.text).to.contain('Choose a first date within the last year');

    // The circle's moderators keep it too: here alice, elected for a term.
    await hearth.db.query(
      `INSERT INTO moderator_terms (circle_id, member_id, starts_at, ends_at)
       SELECT c.id, m.id, $1, $1::timestamptz + interval '90 days' FROM circles c, members m WHERE c.slug = 'voices' AND m.handle = 'alice'`,
      [clock.now()],
    );
    expect((await alice.get('/c/voices/meetings')).text).to.contain('Add a meeting');
    const confirm = await alice.get(`${path}/cancel`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Cancel Tuesday evening group?');
    const cancelled = await alice.submit(`${path}/cancel`, `${path}/cancel`, {});
    expect(cancelled.status).to.equal(303);
    expect(cancelled.headers.location).to.equal('/c/voices/meetings?cancelled=1');
    expect((await new Visitor(hearth).get(path)).text).to.contain('This meeting was cancelled.');
    expect((await new Visitor(hearth).get('/c/voices/meetings')).text).not.to.contain('Tuesday evening group');
    expect((await new Visitor(hearth).get('/meetings')).text).not.to.contain('Tuesday evening group');
    expect((await supertest(hearth.app).get('/c/voices/meetings.ics')).text).not.to.contain('BEGIN:VEVENT');
    expect((await steward.get(`${path}/edit`)).status).to.equal(404);
  });

  it('shows meetings of members-only circles to signed-in members only, and never in public feeds', async () => {
    await schedule(steward, 'voices', WEEKLY);
    await schedule(steward, 'inner', { ...WEEKLY, title: 'Just for us', recurrence: 'monthly' });
    const [, innerId] = await meetingIds(hearth);
    const alice = await memberVisitor(hearth, 'alice');
    // Signed up but not in the circle: nothing of it.
    expect((await alice.get('/meetings')).text).not.to.contain('Just for us');
    expect((await alice.get('/c/inner/meetings')).status).to.equal(404);
    await admitToCircle(steward, alice, 'inner');

    const forVisitors = await new Visitor(hearth).get('/meetings');
    expect(forVisitors.text).to.contain('Tuesday evening group');
    expect(forVisitors.text).not.to.contain('Just for us');
    const forAlice = await alice.get('/meetings');
    expect(forAlice.text).to.contain('Just for us');
    expect(forAlice.text).to.contain('Every 1st Tuesday of the month');
    for (const path of ['/c/inner/meetings', `/c/inner/meetings/${innerId}`, '/c/inner/meetings.ics']) {
      expect((await new Visitor(hearth).get(path)).status, path).to.equal(404);
      expect((await alice.get(path)).status, path).to.equal(200);
    }
    // Other servers don't see it either.
    const json = await supertest(hearth.app).get(`/c/inner/meetings/${innerId}`).set('Accept', 'application/activity+json');
    expect(json.status).to.equal(404);
    // The instance's feed is for calendar apps, which never log in: public circles only, whoever asks.
    const feed = await alice.agent.get('/meetings.ics');
    expect(feed.text).to.contain('SUMMARY:Tuesday evening group');
    expect(feed.text).not.to.contain('Just for us');
    // A members-only circle's page doesn't offer a feed to subscribe to.
    expect((await alice.get('/c/inner/meetings')).text).not.to.contain('meetings.ics');
    expect((await new Visitor(hearth).get('/c/voices/meetings')).text).to.contain('href="/c/voices/meetings.ics"');
  });

  it('serves RFC 5545 calendar feeds: local times with their zone, rules, escaped and folded text', async () => {
    await schedule(steward, 'voices', {
      ...WEEKLY,
      recurrence: 'monthly',
      startDate: '2026-03-10',
      repeatUntil: '2026-12-31',
      description: 'Bring tea, biscuits; and yourself.\nÜberall willkommen — tout le monde est bienvenu, すべての人を歓迎します。',
    });
    const [id] = await meetingIds(hearth);
    const res = await supertest(hearth.app).get('/c/voices/meetings.ics');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/calendar; charset=utf-8');
    const text = res.text;
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hearth//Circle meetings//EN\r\n')).to.equal(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).to.equal(true);
    expect(text.replace(/\r\n/g, '')).not.to.match(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8'), line).to.be.at.most(75);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).to.contain(`UID:meeting-${id}@localhost:3000\r\n`);
    expect(unfolded).to.contain('DTSTART;TZID=Europe/Berlin:20260310T190000\r\n');
    expect(unfolded).to.contain('DURATION:PT90M\r\n');
    expect(unfolded).to.contain('RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231T225959Z\r\n');
    expect(unfolded).to.match(/DTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(unfolded).to.contain('LOCATION:Community centre\\, Elm Street 4\\; room 2\r\n');
    expect(unfolded).to.contain('DESCRIPTION:Bring tea\\, biscuits\\; and yourself.\\nÜberall willkommen — tout le monde est bienvenu\\, すべての人を歓迎します。\\n\\nWho to contact: Ask river here');
    expect(unfolded).to.contain(`URL:http://localhost:3000/c/voices/meetings/${id}\r\n`);
    expect(unfolded).to.contain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n');
    expect(unfolded).to.contain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    // Every BEGIN has its END.
    for (const name of ['VCALENDAR', 'VTIMEZONE', 'VEVENT', 'DAYLIGHT', 'STANDARD']) {
      expect(unfolded.split(`BEGIN:${name}\r\n`).length, name).to.equal(unfolded.split(`END:${name}\r\n`).length);
    }
    const all = await supertest(hearth.app).get('/meetings.ics');
    expect(all.headers['content-type']).to.equal('text/calendar; charset=utf-8');
    expect(all.text.replace(/\r\n /g, '')).to.contain(`UID:meeting-${id}@localhost:3000`);
  });
});

describe('resources a circle shares', () => {
  let hearth: Hearth;
  let steward: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
  });
  afterEach(() => hearth.close());

  const pin = (fields: Record<string, string>) => steward.submit('/c/voices/resources', '/c/voices/resources', { description: '', link: '', ...fields });
  const ids = async () => (await hearth.db.query<{ id: number }>('SELECT id FROM circle_resources ORDER BY position, id')).map((r) => r.id);

  it('pins resources on the circle page, in the order its keepers choose', async () => {
    expect((await new Visitor(hearth).get('/c/voices')).text).not.to.contain('Resources this circle shares');
    expect((await pin({ title: 'Our booklet', link: 'https://voices.example/booklet.pdf', description: 'What we learned together' })).status).to.equal(303);
    expect((await pin({ title: 'The warmline', link: 'tel:+44 800 123 456' })).status).to.equal(303);
    expect((await pin({ title: 'Write to us', link: 'mailto:group@voices.example' })).status).to.equal(303);
    let page = (await new Visitor(hearth).get('/c/voices')).text;
    expect(page).to.contain('Resources this circle shares');
    expect(page).to.contain('<a href="https://voices.example/booklet.pdf" rel="nofollow noopener">Our booklet</a> <span class="meta">· What we learned together</span>');
    expect(page).to.contain('href="tel:+44 800 123 456"');
    expect(page.indexOf('Our booklet')).to.be.lessThan(page.indexOf('The warmline'));

    const [booklet, warmline, write] = await ids();
    expect((await steward.submit('/c/voices/resources', `/c/voices/resources/${write}/move`, { direction: 'up' })).status).to.equal(303);
    await steward.submit('/c/voices/resources', `/c/voices/resources/${write}/move`, { direction: 'up' });
    await steward.submit('/c/voices/resources', `/c/voices/resources/${write}/move`, { direction: 'up' }); // already first: nothing moves
    await steward.submit('/c/voices/resources', `/c/voices/resources/${booklet}/move`, { direction: 'down' });
    expect(await ids()).to.deep.equal([write, warmline, booklet]);
    page = (await new Visitor(hearth).get('/c/voices?o=1')).text;
    expect(page.indexOf('Write to us')).to.be.lessThan(page.indexOf('The warmline'));
    expect(page.indexOf('The warmline')).to.be.lessThan(page.indexOf('Our booklet'));

    expect((await steward.submit(`/c/voices/resources/${warmline}`, `/c/voices/resources/${warmline}`, { title: 'The peer warmline', link: 'sms:+44800123456', description: 'Evenings' })).status).to.equal(303);
    await steward.submit('/c/voices/resources', `/c/voices/resources/${booklet}/delete`, {});
    page = (await new Visitor(hearth).get('/c/voices?o=2')).text;
    expect(page).to.contain('The peer warmline');
    expect(page).not.to.contain('Our booklet');
  });

  it('refuses unsafe links and empty titles, keeping what was typed; only keepers may change the list', async () => {
    const res = await pin({ title: '', link: 'javascript:alert(1)', description: 'kept text' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('The title can’t be empty.');
    expect(res.text).to.contain('Use a link that starts with https://, tel:, sms: or mailto:');
    expect(res.text).to.contain('kept text</textarea>');
    expect(await ids()).to.deep.equal([]);

    await pin({ title: 'Our booklet' });
    const [id] = await ids();
    const alice = await memberVisitor(hearth, 'alice');
    expect((await alice.get('/c/voices/resources')).status).to.equal(403);
    expect((await alice.get('/c/voices')).text).not.to.contain('Change what this circle shares');
    const token = await alice.token('/c/voices');
    const post = (action: string, fields: Record<string, string>) => alice.agent.post(action).type('form').set('Accept', 'text/html').send({ ...fields, _csrf: token });
    expect((await post('/c/voices/resources', { title: 'Mine' })).status).to.equal(403);
    expect((await post(`/c/voices/resources/${id}/delete`, {})).status).to.equal(403);
    expect((await post(`/c/voices/resources/${id}/move`, { direction: 'down' })).status).to.equal(403);
    expect(await ids()).to.deep.equal([id]);
    expect((await new Visitor(hearth).get('/c/voices/resources')).status).to.equal(303);
  });
});
