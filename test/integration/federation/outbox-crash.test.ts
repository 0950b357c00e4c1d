import { expect } from 'chai';
import { FakeRemoteServer, type Received } from '../../helpers/fake-remote-server.js';
import { resetDatabase, testDatabase } from '../../helpers/database.js';
import { HearthProcess, type RemoteVisitor } from '../../helpers/hearth-process.js';
import { eventually } from '../../helpers/test-hearth.js';

const PASSWORD = 'a long enough password';

/** What an Announce carries: the Note, or the Create of it. */
function announced(r: Received): { type: string; content: string } | undefined {
  if (r.activity.type !== 'Announce') return undefined;
  const object = r.activity.object as Record<string, unknown>;
  const note = (object.type === 'Create' ? object.object : object) as Record<string, unknown>;
  return { type: String(object.type), content: String(note.content) };
}

describe('the transactional outbox across a crash', function () {
  this.timeout(240_000);
  const hearth = new HearthProcess();
  const remote = new FakeRemoteServer();
  let steward: RemoteVisitor;

  before(async () => {
    // On a PostgreSQL run the process uses the test database (emptied here); otherwise its own embedded one.
    if (process.env.DATABASE_URL) await resetDatabase(await testDatabase());
    await remote.start();
    // Federating events are recorded but never turned into activities by this process.
    await hearth.start('127.0.0.5', { env: { HEARTH_OUTBOX_PAUSED: '1' }, sharedDatabase: true });
    steward = hearth.person();
    await steward.submit('/setup', '/setup', { name: 'Crashing Hearth', handle: 'ann', password: PASSWORD });
    await steward.submit('/steward/circles/new', '/steward/circles/new', { slug: 'voices', name: 'Voices', purpose: '', visibility: 'public' });
  });
  after(async () => {
    await hearth.stop();
    await remote.stop();
    if (process.env.DATABASE_URL) await resetDatabase(await testDatabase());
  });

  const wait = <T>(check: () => Promise<T | undefined | false>, what: string) =>
    eventually(check, 60_000).catch(() => {
      throw new Error(`${what} did not happen.\n${hearth.log()}\n${JSON.stringify(remote.received, null, 1)}`);
    });

  it('sends every activity of a thread and a reply committed before the process died, once each, after it restarts', async () => {
    const follow = await remote.send(`${hearth.origin}/c/voices/inbox`, { id: `${remote.origin}/follows/1`, type: 'Follow', actor: remote.actorId, object: `${hearth.origin}/c/voices` });
    expect(follow.status, follow.text).to.equal(200);
    // The Accept goes through the delivery queue, which still runs.
    await wait(async () => remote.received.some((r) => r.activity.type === 'Accept'), 'the Accept');

    const started = await steward.submit('/c/voices/new', '/c/voices/new', { title: 'Before the crash', body: 'The opening post.' });
    expect(started.status, started.text).to.equal(303);
    const threadPath = started.headers.location as string;
    const reply = await steward.submit(threadPath, `${threadPath}/reply`, { body: 'A reply, also before the crash.' });
    expect(reply.status, reply.text).to.equal(303);
    // Both are committed; nothing of them went out.
    expect(remote.received.filter((r) => r.activity.type === 'Announce')).to.have.length(0);

    await hearth.kill();
    await hearth.restart();

    // After the restart, one more reply: the outbox and the queue go in order, so when it has arrived the earlier ones have too.
    const after = await steward.submit(threadPath, `${threadPath}/reply`, { body: 'After the restart.' });
    expect(after.status, after.text).to.equal(303);
    const count = (text: string) => remote.received.map(announced).filter((a) => a?.content.includes(text)).length;
    await wait(async () => count('After the restart.') === 2 && count('The opening post.') >= 2 && count('also before the crash') >= 2, 'the deliveries after the restart');

    // Each post: the circle's Announce of the Note and of the Create, once each, signed.
    for (const text of ['The opening post.', 'also before the crash', 'After the restart.']) {
      const kinds = remote.received.map(announced).filter((a) => a?.content.includes(text)).map((a) => a!.type).sort();
      expect(kinds, text).to.deep.equal(['Create', 'Note']);
    }
    const announces = remote.received.filter((r) => r.activity.type === 'Announce');
    expect(new Set(announces.map((a) => a.activity.id)).size).to.equal(announces.length);
    expect(announces.map((a) => a.signatureProblem).filter(Boolean)).to.deep.equal([]);
  });
});

describe('the durable inbox across a crash', function () {
  this.timeout(240_000);
  const hearth = new HearthProcess();
  const remote = new FakeRemoteServer();
  let steward: RemoteVisitor;

  before(async () => {
    if (process.env.DATABASE_URL) await resetDatabase(await testDatabase());
    await remote.start();
    // Incoming activities are checked, stored and acknowledged, but this process never applies them.
    await hearth.start('127.0.0.6', { env: { HEARTH_INBOX_PAUSED: '1' }, sharedDatabase: true });
    steward = hearth.person();
    await steward.submit('/setup', '/setup', { name: 'Crashing Hearth', handle: 'ann', password: PASSWORD });
    await steward.submit('/steward/circles/new', '/steward/circles/new', { slug: 'voices', name: 'Voices', purpose: '', visibility: 'public' });
  });
  after(async () => {
    await hearth.stop();
    await remote.stop();
    if (process.env.DATABASE_URL) await resetDatabase(await testDatabase());
  });

  it('applies a reply that was acknowledged before the process died, after it restarts, exactly once', async () => {
    const started = await steward.submit('/c/voices/new', '/c/voices/new', { title: 'Waiting for replies', body: 'Anyone?' });
    const threadPath = started.headers.location as string;
    const postId = /\/p\/(\d+)\/edit/.exec((await steward.get(threadPath)).text)![1]!;
    const noteId = `${remote.origin}/users/bob/statuses/41`;
    const create = {
      id: `${noteId}/activity`,
      type: 'Create',
      actor: remote.actorId,
      object: { id: noteId, type: 'Note', attributedTo: remote.actorId, content: '<p>A reply from elsewhere.</p>', inReplyTo: `${hearth.origin}/p/${postId}`, to: ['https://www.w3.org/ns/activitystreams#Public'] },
      to: ['https://www.w3.org/ns/activitystreams#Public'],
    };
    const res = await remote.send(`${hearth.origin}/inbox`, create);
    expect(res.status, res.text).to.be.within(200, 299);
    const occurrences = async () => ((await hearth.person().get(threadPath)).text.match(/A reply from elsewhere\./g) ?? []).length;
    expect(await occurrences()).to.equal(0);

    await hearth.kill();
    await hearth.restart();
    await eventually(async () => (await occurrences()) === 1, 60_000).catch(() => {
      throw new Error(`the stored reply was not applied after the restart\n${hearth.log()}`);
    });
    // The same activity delivered again (a peer retrying) is not applied twice.
    const again = await remote.send(`${hearth.origin}/inbox`, create);
    expect(again.status).to.be.below(500);
    const marker = { ...create, id: `${noteId}/b/activity`, object: { ...create.object, id: `${noteId}b`, content: '<p>A second reply.</p>' } };
    await remote.send(`${hearth.origin}/inbox`, marker);
    await eventually(async () => (await hearth.person().get(threadPath)).text.includes('A second reply.'), 60_000);
    expect(await occurrences()).to.equal(1);
  });
});
