import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { eventually, listeningHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
const PASSWORD = 'a long enough password';

describe('a member who leaves, as other servers see it', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let follower: FakeRemoteServer;
  let replier: FakeRemoteServer;
  let alice: Visitor;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    follower = new FakeRemoteServer();
    replier = new FakeRemoteServer();
    await follower.start();
    await replier.start();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    // Someone on another server follows the circle.
    const res = await follower.send(`${origin}/c/voices/inbox`, {
      id: `${follower.origin}/follows/1`,
      type: 'Follow',
      actor: follower.actorId,
      object: `${origin}/c/voices`,
    });
    expect(res.status, res.text).to.equal(200);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length > 0);
    await drain();
  });
  afterEach(async () => {
    await close();
    await follower.stop();
    await replier.stop();
  });

  const drain = () => hearth.federation.worker.drain();
  const json = async (path: string) => {
    const res = await fetch(`${origin}${path}`, { headers: { accept: 'application/activity+json' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const leave = async (posts: 'remove' | 'keep') => {
    const res = await alice.submit('/settings/leave', '/settings/leave/delete', { posts, handle: 'alice', password: PASSWORD });
    expect(res.status, res.text).to.equal(303);
    await eventually(async () => (await hearth.services.leaving.deletionOf('alice'))?.completedAt, 10_000);
    await drain();
  };
  /** Alice opens a thread, it reaches the circle's follower, and someone on a second server replies to it. */
  const aliceWrites = async () => {
    const path = await startThread(alice, 'voices', { title: 'Before I go', body: 'some words', contentWarning: 'goodbyes' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    expect(follower.received.some((r) => r.activity.type === 'Announce')).to.equal(true);
    const noteId = `${replier.origin}/users/bob/statuses/1`;
    const reply = await replier.send(`${origin}/u/alice/inbox`, {
      id: `${noteId}/activity`,
      type: 'Create',
      actor: replier.actorId,
      to: [PUBLIC],
      object: { id: noteId, type: 'Note', attributedTo: replier.actorId, inReplyTo: `${origin}/p/${postId}`, content: '<p>take care</p>', to: [PUBLIC] },
    });
    expect(reply.status, reply.text).to.equal(200);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM posts WHERE ap_id = $1', [noteId])).length === 1);
    await drain();
    follower.received.length = 0;
    replier.received.length = 0;
    return { path, postId };
  };
  const actorDeletes = (server: FakeRemoteServer) =>
    server.received.filter((r) => r.activity.type === 'Delete' && r.activity.object === `${origin}/u/alice`);

  it('"remove my posts": every server that got something receives a signed Delete of the actor, and each post’s Delete', async () => {
    const { postId } = await aliceWrites();
    await leave('remove');

    for (const server of [follower, replier]) {
      const deletes = actorDeletes(server);
      expect(deletes, JSON.stringify(server.received.map((r) => r.activity.type))).to.have.length(1);
      expect(deletes[0]!.activity).to.deep.include({ actor: `${origin}/u/alice`, to: [PUBLIC] });
      expect(deletes[0]!.signatureProblem).to.equal(undefined);
    }
    const postDelete = follower.received.find((r) => r.activity.type === 'Delete' && (r.activity.object as Record<string, unknown>).type === 'Tombstone')!;
    expect(postDelete.activity.actor).to.equal(`${origin}/u/alice`);
    expect((postDelete.activity.object as Record<string, unknown>).id).to.equal(`${origin}/p/${postId}`);
    expect(postDelete.signatureProblem).to.equal(undefined);
    const announced = follower.received.find((r) => r.activity.type === 'Announce')!;
    expect(announced.activity.actor).to.equal(`${origin}/c/voices`);
    expect((announced.activity.object as Record<string, unknown>).type).to.equal('Delete');
    expect(announced.signatureProblem).to.equal(undefined);

    // The actor and the post now answer 410 Gone.
    const actor = await json('/u/alice');
    expect(actor.status).to.equal(410);
    expect(actor.body).to.include({ id: `${origin}/u/alice`, type: 'Tombstone', formerType: 'Person' });
    expect((await json(`/p/${postId}`)).status).to.equal(410);
    expect((await fetch(`${origin}/.well-known/webfinger?resource=acct:alice@${new URL(origin).host}`)).status).to.equal(404);
    // Nothing of hers is left in the federation store: not her actor, not her Creates, not the circle's copies of her post.
    expect(await hearth.db.query("SELECT 1 FROM ap_objects WHERE id = $1 OR meta ? 'privateKey' AND id LIKE '%/u/alice'", [`${origin}/u/alice`])).to.have.length(0);
    expect(await hearth.db.query('SELECT 1 FROM ap_activities WHERE doc::text LIKE $1', [`%${origin}/u/alice"%`])).to.have.length(0);
    expect(await hearth.db.query("SELECT 1 FROM ap_activities WHERE doc::text LIKE '%some words%'")).to.have.length(0);

    // Once every Delete is delivered, the key pair is forgotten.
    expect(actor.body.publicKey).to.not.equal(undefined);
    expect(await hearth.db.query('SELECT 1 FROM ap_deliveries')).to.have.length(0);
    await hearth.services.leaving.carryOutPending();
    expect(await hearth.db.query("SELECT 1 FROM actor_keys WHERE owner = 'u:alice'")).to.have.length(0);
    const later = await json('/u/alice');
    expect(later.status).to.equal(410);
    expect(later.body.publicKey).to.equal(undefined);
  });

  it('"keep my posts": the actor Delete goes out, no post is deleted, and the post is no longer served as hers', async () => {
    const { path, postId } = await aliceWrites();
    await leave('keep');

    for (const server of [follower, replier]) {
      expect(actorDeletes(server), server.origin).to.have.length(1);
      expect(actorDeletes(server)[0]!.signatureProblem).to.equal(undefined);
    }
    expect(follower.received.filter((r) => r.activity.type === 'Delete')).to.have.length(1);
    expect(follower.received.some((r) => r.activity.type === 'Announce')).to.equal(false);
    expect((await json('/u/alice')).status).to.equal(410);
    // The post stays here for the group, without a name, and is not served as hers to other servers.
    const page = await new Visitor(hearth).get(`${path}?kept=1`);
    expect(page.text).to.contain('some words');
    expect(page.text).to.contain('A former member');
    expect(page.text).to.contain('take care');
    expect((await json(`/p/${postId}`)).status).to.equal(404);
    const context = await json(path);
    // The thread's context lists only the reply from elsewhere now.
    expect(context.status).to.equal(200);
    expect(context.body.orderedItems).to.have.length(1);
    expect(context.body.orderedItems).not.to.include(`${origin}/p/${postId}`);
  });

  it('stops following circles elsewhere, with an Undo of the Follow', async () => {
    const remoteCircle = await hearth.db.query<{ id: number }>(
      `INSERT INTO remote_circles (iri, host, handle, name, inbox) VALUES ($1, $2, 'elsewhere', 'Elsewhere', $3) RETURNING id`,
      [`${follower.origin}/c/elsewhere`, new URL(follower.origin).host, `${follower.origin}/inbox`],
    );
    await hearth.db.query(
      "INSERT INTO remote_circle_follows (member_id, remote_circle_id, follow_iri, state) SELECT id, $1, $2, 'accepted' FROM members WHERE handle = 'alice'",
      [remoteCircle[0]!.id, `${origin}/s/follow-1`],
    );
    // Her actor was seen by other servers (it has a key), so they are told.
    expect((await json('/u/alice')).status).to.equal(200);
    follower.received.length = 0;
    await leave('remove');
    const undo = follower.received.find((r) => r.activity.type === 'Undo')!;
    expect(undo.activity.actor).to.equal(`${origin}/u/alice`);
    expect((undo.activity.object as Record<string, unknown>).id).to.equal(`${origin}/s/follow-1`);
    expect(undo.signatureProblem).to.equal(undefined);
    expect(actorDeletes(follower)).to.have.length(1);
    expect(await hearth.db.query('SELECT 1 FROM remote_circle_follows')).to.have.length(0);
  });
});
