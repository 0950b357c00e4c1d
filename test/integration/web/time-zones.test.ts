import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, saveSettings, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** The text of every <time> on a page that has an exact instant (not a meeting's local time). */
const timesOn = (html: string) => [...html.matchAll(/<time datetime="[^"]+Z">([^<]+)<\/time>/g)].map((m) => m[1]!);

describe('times in each viewer’s time zone', () => {
  let hearth: Hearth;
  let steward: Visitor;
  let path: string;
  beforeEach(async () => {
    // The post goes up at 12:00 UTC on 15 January 2026.
    hearth = await freshHearth({ clock: new ManualClock(new Date('2026-01-15T12:00:00Z')) });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    const poster = await memberVisitor(hearth, 'poster');
    path = await startThread(poster, 'voices', { title: 'A quiet morning', body: 'Tea and the radio.' });
    await hearth.db.query("UPDATE posts SET created_at = '2026-01-15T12:00:00Z'");
  });
  afterEach(() => hearth.close());

  it('shows a member in Berlin and one in New York the same post at their own clock time', async () => {
    const berlin = await memberVisitor(hearth, 'berlin');
    const newYork = await memberVisitor(hearth, 'newyork');
    expect((await saveSettings(berlin, { timeZone: 'Europe/Berlin' })).status).to.equal(303);
    expect((await saveSettings(newYork, { timeZone: 'America/New_York' })).status).to.equal(303);

    const forBerlin = (await berlin.get(path)).text;
    const forNewYork = (await newYork.get(path)).text;
    expect(forBerlin).to.contain('<time datetime="2026-01-15T12:00:00.000Z">15 Jan 2026, 13:00 CET</time>');
    expect(forNewYork).to.contain('<time datetime="2026-01-15T12:00:00.000Z">15 Jan 2026, 07:00 EST</time>');
    // Every time on the page follows the viewer's zone.
    expect(timesOn(forBerlin).every((t) => t.endsWith('CET'))).to.equal(true);
    expect(timesOn(forNewYork).every((t) => t.endsWith('EST'))).to.equal(true);
    // Their settings show the zone they chose.
    expect((await berlin.get('/settings/profile')).text).to.match(/<option value="Europe\/Berlin" selected>Berlin \(UTC\+01:00\)<\/option>/);
  });

  it('shows visitors (and members who chose none) the instance’s zone, which stewards set; visitors see a change at once', async () => {
    const visitor = new Visitor(hearth);
    const first = await visitor.get(path);
    expect(first.text).to.contain('15 Jan 2026, 12:00 UTC');
    // The page is now in the visitors' cache.
    expect((await visitor.get(path)).headers['x-hearth-cache']).to.equal('hit');

    const settings = await steward.get('/steward');
    expect(settings.text).to.contain('Visitors see every date and time in it');
    const changed = await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: '', registrationMode: 'open', timeZone: 'Asia/Tokyo' });
    expect(changed.status).to.equal(303);

    const after = await visitor.get(path);
    expect(after.headers['x-hearth-cache']).to.equal(undefined);
    expect(after.text).to.contain('<time datetime="2026-01-15T12:00:00.000Z">15 Jan 2026, 21:00 GMT+9</time>');
    const member = await memberVisitor(hearth, 'nozone');
    expect((await member.get(path)).text).to.contain('15 Jan 2026, 21:00 GMT+9');
    expect((await member.get('/settings/profile')).text).to.contain('<option value="" selected>The same as this instance (Asia/Tokyo)</option>');
  });

  it('lets stewards choose the instance’s zone by city, and refuses one it cannot place', async () => {
    const byCity = await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: '', registrationMode: 'open', timeZone: 'Berlin' });
    expect(byCity.status).to.equal(303);
    expect((await hearth.services.instance.get())!.timeZone).to.equal('Europe/Berlin');
    const bad = await steward.submit('/steward', '/steward/settings', { name: 'Renamed', description: '', registrationMode: 'open', timeZone: 'Atlantis' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('Hearth doesn’t know that time zone');
    expect(bad.text).to.contain('value="Renamed"');
    expect((await hearth.services.instance.get())!.name).to.equal('Test Hearth');
  });

  it('shows the break page and the member’s export in their zone', async () => {
    const berlin = await memberVisitor(hearth, 'berlin');
    await saveSettings(berlin, { timeZone: 'Europe/Berlin' });
    const me = (await hearth.services.members.getByHandle('berlin'))!;
    const doc = await hearth.services.leaving.exportFor(me, { name: 'Test Hearth', url: 'http://localhost:3000', timeZone: 'UTC' });
    expect(doc.timeZone).to.equal('Europe/Berlin');
    expect((doc.sections.profile as { timeZone: string }).timeZone).to.equal('Europe/Berlin');

    // Quiet hours all day long, in Berlin: Hearth will be back at midnight Berlin time.
    const saved = await berlin.submit('/settings/break', '/settings/break', { quietFrom: '00:00', quietTo: '23:59', timeZone: 'Europe/Berlin', dailyMinutes: '', lockUntil: '' });
    expect(saved.status).to.equal(303);
    const page = await berlin.get(path);
    expect(page.text).to.contain('You asked for a break');
    // The date is part of the sentence (one message per language), in the member's zone.
    expect(page.text).to.match(/Hearth will be here again from \d+ \w+ 2026, 23:59 CET\./);
  });
});

describe('the meeting form’s time zone', () => {
  let hearth: Hearth;
  let steward: Visitor;
  const MEETING = {
    title: 'Thursday circle',
    description: '',
    startDate: '2026-03-05',
    startTime: '19:00',
    duration: '',
    recurrence: 'none',
    repeatUntil: '',
    place: 'Community centre',
    link: '',
    contact: '',
  };
  beforeEach(async () => {
    hearth = await freshHearth({ clock: new ManualClock(new Date('2026-03-01T12:00:00Z')) });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
  });
  afterEach(() => hearth.close());

  const zoneOfLast = async () => (await hearth.db.query<{ time_zone: string }>('SELECT time_zone FROM circle_meetings ORDER BY id DESC LIMIT 1'))[0]?.time_zone;

  it('starts in the member’s own zone and offers every zone by city', async () => {
    await saveSettings(steward, { timeZone: 'America/New_York' });
    const form = (await steward.get('/c/voices/meetings')).text;
    expect(form).to.match(/<input id="timeZone" name="timeZone"[^>]* value="America\/New_York"/);
    expect(form).to.contain('<option value="Europe/Berlin" label="Berlin (UTC+01:00), Europe"></option>');
    // The date hint does not claim a format the browser's date picker may not show.
    expect(form).not.to.contain('YYYY-MM-DD');
  });

  it('accepts a city name like “Berlin” or a zone from the list, and shows meeting times in the viewer’s zone too', async () => {
    const byCity = await steward.submit('/c/voices/meetings', '/c/voices/meetings', { ...MEETING, timeZone: 'Berlin' });
    expect(byCity.status).to.equal(303);
    expect(await zoneOfLast()).to.equal('Europe/Berlin');
    const byList = await steward.submit('/c/voices/meetings', '/c/voices/meetings', { ...MEETING, timeZone: 'America/New_York' });
    expect(byList.status).to.equal(303);
    expect(await zoneOfLast()).to.equal('America/New_York');

    const london = await memberVisitor(hearth, 'london');
    await saveSettings(london, { timeZone: 'Europe/London' });
    const page = (await london.get(byCity.headers.location as string)).text;
    expect(page).to.contain('Thursday 5 March 2026, 19:00–20:30');
    expect(page).to.contain('your time: Thursday 5 March 2026, 18:00–19:30 GMT');
  });

  it('adds one meeting however often the same form is sent', async () => {
    const page = (await steward.get('/c/voices/meetings')).text;
    const token = /name="_once" value="([^"]+)"/.exec(page)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const send = () => steward.agent.post('/c/voices/meetings').type('form').send({ ...MEETING, timeZone: 'Berlin', _once: token, _csrf: csrf });
    const first = await send();
    const again = await send();
    expect(first.status).to.equal(303);
    expect(again.status).to.equal(303);
    expect(again.headers.location).to.equal(first.headers.location);
    expect(await hearth.db.query('SELECT id FROM circle_meetings')).to.have.length(1);
  });

  it('refuses a zone it cannot place, keeping everything typed', async () => {
    const res = await steward.submit('/c/voices/meetings', '/c/voices/meetings', { ...MEETING, timeZone: 'Middle Earth' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Hearth doesn’t know that time zone. Choose one from the list, or type a city like Berlin or New York');
    expect(res.text).to.match(/<input id="timeZone" name="timeZone"[^>]* value="Middle Earth"/);
    expect(res.text).to.contain('value="Thursday circle"');
    expect(await zoneOfLast()).to.equal(undefined);
  });
});
