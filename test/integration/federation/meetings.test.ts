import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { eventually, listeningHearth, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
type Json = Record<string, unknown>;

/** A date `days` from today, as YYYY-MM-DD. */
function daysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('federating a circle’s meetings as Events', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;
  let steward: Visitor;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'inner', 'Inner circle', 'members');
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  const deliveries = async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length;
  const delivered = async (atLeast: number) => {
    await eventually(async () => (await deliveries()) >= atLeast);
    await hearth.federation.worker.drain();
  };
  const follow = async () => {
    const res = await remote.send(`${origin}/c/voices/inbox`, { id: `${remote.origin}/follows/1`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/voices` });
    expect(res.status, res.text).to.equal(200);
    await delivered(1);
    remote.received.length = 0;
  };
  const fields = (change: Record<string, string> = {}) => ({
    title: 'Evening circle',
    description: 'Come as you are.',
    startDate: daysAhead(30),
    startTime: '19:00',
    timeZone: 'Asia/Kolkata',
    duration: '',
    recurrence: 'none',
    repeatUntil: '',
    place: 'Library, room 3',
    link: 'https://meet.example/evening',
    contact: 'Ask river',
    ...change,
  });
  /** The circle's own activity of `type`, and its Announce of it. */
  const sent = (type: string) => {
    const direct = remote.received.find((r) => r.activity.type === type);
    const announce = remote.received.find((r) => r.activity.type === 'Announce' && (r.activity.object as Json).type === type);
    expect(direct, `${type} in ${JSON.stringify(remote.received.map((r) => r.activity.type))}`).to.not.equal(undefined);
    expect(announce, `Announce(${type})`).to.not.equal(undefined);
    expect(direct!.signatureProblem).to.equal(undefined);
    expect(announce!.signatureProblem).to.equal(undefined);
    expect(direct!.activity.actor).to.equal(`${origin}/c/voices`);
    expect(announce!.activity.actor).to.equal(`${origin}/c/voices`);
    return { direct: direct!.activity, announced: announce!.activity.object as Json };
  };

  it('announces a new meeting to the circle’s followers with its time and zone offset, its changes, and its cancellation', async () => {
    await follow();
    const date = daysAhead(30);
    const res = await steward.submit('/c/voices/meetings', '/c/voices/meetings', fields());
    expect(res.status, res.text).to.equal(303);
    const path = res.headers.location as string;
    const eventId = `${origin}${path}`;
    await delivered(2);

    const created = sent('Create');
    const event = created.announced.object as Json;
    expect(event).to.deep.include({
      id: eventId,
      type: 'Event',
      name: 'Evening circle',
      startTime: `${date}T19:00:00+05:30`,
      endTime: `${date}T20:30:00+05:30`,
      attributedTo: `${origin}/c/voices`,
      audience: `${origin}/c/voices`,
      url: eventId,
    });
    expect(event.location).to.deep.include({ type: 'Place', name: 'Library, room 3' });
    expect(String(event.content), String(event.content)).to.contain('<p>Come as you are.</p>');
    expect(String(event.content), String(event.content)).to.contain('Asia/Kolkata time, UTC+05:30');
    expect(String(event.content)).to.contain('href="https://meet.example/evening"');
    expect((created.direct.object as Json).startTime).to.equal(`${date}T19:00:00+05:30`);
    expect(created.direct.to).to.deep.equal(PUBLIC);
    expect(created.direct.cc).to.equal(`${origin}/c/voices/followers`);

    // The Event is at its id for servers, and the page for people.
    const json = await fetch(eventId, { headers: { accept: 'application/activity+json' } });
    expect(json.status).to.equal(200);
    expect(json.headers.get('content-type')).to.contain('application/activity+json');
    const fetched = (await json.json()) as Json;
    expect(fetched).to.deep.include({ id: eventId, type: 'Event', startTime: `${date}T19:00:00+05:30` });
    const page = await fetch(eventId, { headers: { accept: 'text/html' } });
    expect(await page.text()).to.contain('<h1>Evening circle</h1>');

    // Moved to a summer evening in Berlin: the offset follows the zone.
    remote.received.length = 0;
    const summer = `${new Date().getUTCFullYear() + 1}-07-07`;
    const edited = await steward.submit(`${path}/edit`, `${path}/edit`, fields({ timeZone: 'Europe/Berlin', startDate: summer, duration: '60' }));
    expect(edited.status, edited.text).to.equal(303);
    await delivered(2);
    const updated = sent('Update');
    expect(updated.announced.object).to.deep.include({ id: eventId, type: 'Event', startTime: `${summer}T19:00:00+02:00`, endTime: `${summer}T20:00:00+02:00` });

    remote.received.length = 0;
    expect((await steward.submit(`${path}/cancel`, `${path}/cancel`, {})).status).to.equal(303);
    await delivered(2);
    const deleted = sent('Delete');
    expect(deleted.announced.object).to.deep.include({ id: eventId, type: 'Tombstone' });
    expect(deleted.direct.object).to.deep.include({ id: eventId, type: 'Tombstone' });
    const gone = await fetch(eventId, { headers: { accept: 'application/activity+json' } });
    expect(gone.status).to.equal(410);
    expect(((await gone.json()) as Json).type).to.equal('Tombstone');
  });

  it('never sends the meetings of a members-only circle', async () => {
    await follow();
    const res = await steward.submit('/c/inner/meetings', '/c/inner/meetings', fields({ title: 'Only for us' }));
    expect(res.status).to.equal(303);
    await hearth.federation.settled();
    await hearth.federation.worker.drain();
    expect(await deliveries()).to.equal(0);
    expect(remote.received).to.deep.equal([]);
    const json = await fetch(`${origin}${res.headers.location as string}`, { headers: { accept: 'application/activity+json' } });
    expect(json.status).to.equal(404);
  });
});
