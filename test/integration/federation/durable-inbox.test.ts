import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { eventually, freshHearth, listeningHearth, memberVisitor, openCircle, settled, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/**
 * Every incoming activity is durable before the 2xx, including those Hearth
 * handles itself (a Like is one), and workers in other processes sharing the
 * database wake at once through NOTIFY rather than at their next poll.
 */
describe('the durable inbox and workers woken through NOTIFY', function () {
  this.timeout(120_000);
  let remote: FakeRemoteServer;
  /** Hearths to close after each test, last opened first. */
  const open: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    remote = new FakeRemoteServer();
    await remote.start();
  });
  afterEach(async () => {
    while (open.length > 0) await open.pop()!();
    await remote.stop();
  });

  const start = async (options: Parameters<typeof listeningHearth>[0] = {}) => {
    const started = await listeningHearth(options);
    open.push(started.close);
    return started;
  };

  /** A steward, a circle, and Alice's thread: the path of the thread and the id of its opening post. */
  const aliceThread = async (hearth: Hearth) => {
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', { title: 'Liked', body: 'words' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    return { path, postId: Number(postId) };
  };

  /** How Hearth counted the post's Likes, and how often Alice was told. */
  const counted = async (hearth: Hearth, postId: number) => {
    const reactions = await hearth.db.query('SELECT 1 FROM reactions WHERE post_id = $1 AND remote_actor_id IS NOT NULL', [postId]);
    const told = await hearth.db.query("SELECT 1 FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.handle = 'alice' AND n.post_id = $1", [postId]);
    return { reactions: reactions.length, told: told.length };
  };

  const stored = (hearth: Hearth, activityId: string) =>
    hearth.db.query<{ attempt: number; applied: boolean; last_error: string | null }>(
      'SELECT attempt, applied_at IS NOT NULL AS applied, last_error FROM inbox_events WHERE activity_id = $1',
      [activityId],
    );

  it('applies a Like whose first application failed on the retry, exactly once', async () => {
    const { hearth, origin } = await start();
    const { path, postId } = await aliceThread(hearth);
    let failures = 1;
    hearth.federation.inbox.beforeHandle = (name) => {
      if (name === 'Like' && failures-- > 0) throw new Error('injected failure');
    };
    const like = { id: `${remote.origin}/likes/retry`, type: 'Like', actor: remote.actorId, object: `${origin}/p/${postId}` };
    expect((await remote.send(`${origin}/inbox`, like)).status).to.equal(202);
    await settled();
    // Stored before the answer; the failed attempt is kept with its error, for a retry with backoff.
    expect(await stored(hearth, like.id)).to.deep.equal([{ attempt: 1, applied: false, last_error: 'injected failure' }]);
    expect(await counted(hearth, postId)).to.deep.equal({ reactions: 0, told: 0 });

    // The backoff has passed.
    await hearth.db.query("UPDATE inbox_events SET next_attempt_at = now() - interval '1 second' WHERE activity_id = $1", [like.id]);
    expect(await hearth.federation.inbox.drain()).to.equal(1);
    expect(await stored(hearth, like.id)).to.deep.equal([{ attempt: 1, applied: true, last_error: 'injected failure' }]);
    expect(await counted(hearth, postId)).to.deep.equal({ reactions: 1, told: 1 });
    expect((await new Visitor(hearth).get(`${path}?l=1`)).text).to.contain('I hear you: 1');

    // Nothing is applied twice: not by another look, not when the peer sends it again.
    expect(await hearth.federation.inbox.drain()).to.equal(0);
    expect((await remote.send(`${origin}/c/voices/inbox`, like)).status).to.equal(202);
    await settled();
    expect(await counted(hearth, postId)).to.deep.equal({ reactions: 1, told: 1 });
  });

  it('applies an Undo only after the Like it takes back, even when that Like waits for a retry', async () => {
    const { hearth, origin } = await start();
    const { postId } = await aliceThread(hearth);
    let failures = 1;
    hearth.federation.inbox.beforeHandle = (name) => {
      if (name === 'Like' && failures-- > 0) throw new Error('injected failure');
    };
    const like = { id: `${remote.origin}/likes/undone`, type: 'Like', actor: remote.actorId, object: `${origin}/p/${postId}` };
    expect((await remote.send(`${origin}/inbox`, like)).status).to.equal(202);
    const undo = { id: `${like.id}/undo`, type: 'Undo', actor: remote.actorId, object: like };
    expect((await remote.send(`${origin}/inbox`, undo)).status).to.equal(202);
    await settled();
    expect((await stored(hearth, undo.id))[0]).to.include({ applied: false, attempt: 1 });

    await hearth.db.query("UPDATE inbox_events SET next_attempt_at = now() - interval '1 second'");
    await hearth.federation.inbox.drain();
    expect((await stored(hearth, undo.id))[0]).to.include({ applied: true });
    expect((await counted(hearth, postId)).reactions).to.equal(0);
  });

  it('applies a Like acknowledged by a process that stopped before applying it, once, after the restart', async () => {
    // This process stores and acknowledges incoming activities but never applies them: it "dies" before its worker runs.
    const first = await start({ env: { HEARTH_INBOX_PAUSED: '1' } });
    const { path, postId } = await aliceThread(first.hearth);
    const like = { id: `${remote.origin}/likes/crash`, type: 'Like', actor: remote.actorId, object: `${first.origin}/p/${postId}` };
    expect((await remote.send(`${first.origin}/inbox`, like)).status).to.equal(202);
    await settled();
    expect(await stored(first.hearth, like.id)).to.deep.equal([{ attempt: 0, applied: false, last_error: null }]);
    await open.pop()!();

    // The same instance, started again on the same database.
    const again = await start({ port: first.port, keepDatabase: true });
    again.hearth.startBackgroundJobs();
    await eventually(async () => (await counted(again.hearth, postId)).reactions === 1);
    expect(await counted(again.hearth, postId)).to.deep.equal({ reactions: 1, told: 1 });
    expect((await new Visitor(again.hearth).get(`${path}?l=1`)).text).to.contain('I hear you: 1');
    expect(await again.hearth.federation.inbox.drain()).to.equal(0);
    expect((await stored(again.hearth, like.id))[0]).to.include({ applied: true });
  });

  describe('two processes on one database', () => {
    /** A second process of the same instance, doing only background work; its workers never poll during the test. */
    const worker = async (origin: string, env: Record<string, string> = {}) => {
      const second = await freshHearth({
        keepDatabase: true,
        env: { PUBLIC_URL: origin, FEDERATION_ALLOW_HTTP: '1', FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1', HEARTH_WORK_POLL_SECONDS: '86400', ...env },
      });
      open.push(() => second.close());
      await second.federation.start();
      // Its first look, at start, is over: from now on only a notification wakes it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await second.federation.settled();
      return second;
    };

    it('sends a delivery queued by one process from the worker of the other, woken by NOTIFY', async () => {
      // The first process applies what arrives but delivers nothing (its delivery worker is not started).
      const web = await start();
      const steward = await withSteward(web.hearth);
      await openCircle(steward, 'voices', 'Hearing voices');
      // The second only delivers.
      const other = await worker(web.origin, { HEARTH_INBOX_PAUSED: '1', HEARTH_OUTBOX_PAUSED: '1' });

      const follow = { id: `${remote.origin}/follows/notify`, type: 'Follow', actor: remote.actorId, object: `${web.origin}/c/voices` };
      expect((await remote.send(`${web.origin}/c/voices/inbox`, follow)).status).to.be.within(200, 299);
      await eventually(async () => remote.received.some((r) => r.activity.type === 'Accept'), 60_000);
      const accept = remote.received.find((r) => r.activity.type === 'Accept')!;
      expect(accept.signatureProblem).to.equal(undefined);
      expect(accept.activity.actor).to.equal(`${web.origin}/c/voices`);
      // The peer has it; the worker marks it done once the answer is in (on the embedded database after the test's own statements, which go first).
      await settled();
      expect(await other.db.query('SELECT 1 FROM ap_deliveries')).to.deep.equal([]);
    });

    it('applies an activity stored by a process that does not apply, in the other process, woken by NOTIFY', async () => {
      const web = await start({ env: { HEARTH_INBOX_PAUSED: '1' } });
      const { postId } = await aliceThread(web.hearth);
      const other = await worker(web.origin);

      const like = { id: `${remote.origin}/likes/notify`, type: 'Like', actor: remote.actorId, object: `${web.origin}/p/${postId}` };
      expect((await remote.send(`${web.origin}/inbox`, like)).status).to.equal(202);
      await eventually(async () => (await counted(other, postId)).reactions === 1, 60_000);
      expect(await counted(other, postId)).to.deep.equal({ reactions: 1, told: 1 });
    });
  });
});
