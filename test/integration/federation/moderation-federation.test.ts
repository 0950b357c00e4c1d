import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { admitToCircle, eventually, listeningHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';
import { idFrom, seatModerators } from '../moderation/moderation-helpers.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';

describe('moderation across federation', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;
  let steward: Visitor;
  let alice: Visitor;
  let ash: Visitor;
  let birch: Visitor;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    ash = await memberVisitor(hearth, 'ash');
    birch = await memberVisitor(hearth, 'birch');
    await seatModerators(hearth, 'voices', ['ash', 'birch'], new Date(Date.now() - 1000));
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  const drain = () => hearth.federation.worker.drain();
  const deliveries = async () => (await hearth.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ap_deliveries'))[0]!.n;
  const follow = async () => {
    const res = await remote.send(`${origin}/c/voices/inbox`, { id: `${remote.origin}/follows/1`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/voices` });
    expect(res.status, res.text).to.equal(200);
    await eventually(async () => (await deliveries()) > 0);
    await drain();
    remote.received.length = 0;
  };
  const remoteReply = async (threadPath: string, text: string) => {
    const opening = (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE is_opening ORDER BY id DESC LIMIT 1'))[0]!.id;
    const noteId = `${remote.origin}/users/bob/statuses/${Date.now()}`;
    const res = await remote.send(`${origin}/inbox`, {
      id: `${noteId}/activity`,
      type: 'Create',
      actor: remote.actorId,
      object: { id: noteId, type: 'Note', attributedTo: remote.actorId, inReplyTo: `${origin}/p/${opening}`, content: `<p>${text}</p>`, to: [PUBLIC] },
      to: [PUBLIC],
    });
    expect(res.status, res.text).to.equal(200);
    await eventually(async () => (await new Visitor(hearth).get(`${threadPath}?x=${Date.now()}`)).text.includes(text));
    return noteId;
  };

  it('puts a Flag from another server into the circle’s review queue, naming the server, not a person', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'Something they flagged.' });
    const postId = idFrom(path, /\/t\/(\d+)/);
    const opening = (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE thread_id = $1', [postId]))[0]!.id;
    const res = await remote.send(`${origin}/inbox`, {
      id: `${remote.origin}/flags/1`,
      type: 'Flag',
      actor: remote.actorId,
      object: [`${origin}/u/alice`, `${origin}/p/${opening}`],
      content: 'Spam links in this post',
    });
    expect(res.status, res.text).to.be.within(200, 299);
    const queue = await eventually(async () => {
      const page = await ash.get('/c/voices/review');
      return page.text.includes('Spam links in this post') && page.text;
    });
    expect(queue).to.contain(`from ${new URL(remote.origin).host}`);
  });

  it('sends a report about a post from elsewhere to its server as a Flag from the instance, without the reporter', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'Opening words.' });
    const noteId = await remoteReply(path, 'A reply with something hurtful');
    const replyId = (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [noteId]))[0]!.id;
    remote.received.length = 0;
    const sent = await alice.submit(`/report?post=${replyId}`, '/report', { post: String(replyId), reason: 'harassment', note: 'Hurtful words aimed at me', forward: 'on' });
    expect(sent.status).to.equal(303);
    await eventually(async () => (await deliveries()) > 0);
    await drain();
    const flag = remote.received.find((r) => r.activity.type === 'Flag');
    expect(flag, JSON.stringify(remote.received)).to.not.equal(undefined);
    expect(flag!.signatureProblem).to.equal(undefined);
    expect(flag!.activity.actor).to.equal(`${origin}/actor`);
    expect(flag!.activity.object).to.deep.equal([remote.actorId, noteId]);
    expect(flag!.activity.content).to.equal('Hurtful words aimed at me');
    expect(JSON.stringify(flag!.activity)).not.to.contain('alice');
  });

  it('says plainly that the note goes with a forwarded report, and sends what the reporter edited it to', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'Opening words.' });
    const noteId = await remoteReply(path, 'A reply with something unkind');
    const replyId = (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [noteId]))[0]!.id;
    const form = await alice.get(`/report?post=${replyId}`);
    expect(form.text).to.contain('<strong>Your note goes with it</strong>, and that server');
    expect(form.text).to.contain('<label for="forwardNote">What the other server receives');
    remote.received.length = 0;
    const sent = await alice.submit(`/report?post=${replyId}`, '/report', {
      post: String(replyId),
      reason: 'harassment',
      note: 'This is aimed at me after what I shared about my sister.',
      forward: 'on',
      forwardNote: 'Unkind words aimed at a member.',
    });
    expect(sent.status).to.equal(303);
    await eventually(async () => (await deliveries()) > 0);
    await drain();
    const flag = remote.received.find((r) => r.activity.type === 'Flag');
    expect(flag, JSON.stringify(remote.received)).to.not.equal(undefined);
    expect(flag!.activity.content).to.equal('Unkind words aimed at a member.');
    expect(JSON.stringify(flag!.activity)).not.to.contain('sister');
    // The moderators here still read the whole note.
    expect((await hearth.db.query<{ note: string }>('SELECT note FROM reports ORDER BY id DESC LIMIT 1'))[0]!.note).to.contain('my sister');
  });

  it('takes a hidden post out of followers’ timelines elsewhere (Undo of the boost, and the circle’s Delete announced)', async () => {
    await follow();
    const path = await startThread(alice, 'voices', { title: 'To be hidden', body: 'Words moderators hide.' });
    await eventually(async () => (await deliveries()) >= 2);
    await drain();
    const note = remote.received.map((r) => r.activity.object).find((o) => typeof o === 'object' && (o as Record<string, unknown>).type === 'Note') as Record<string, unknown>;
    remote.received.length = 0;
    const opening = (await hearth.db.query<{ id: number }>('SELECT id FROM posts ORDER BY id DESC LIMIT 1'))[0]!.id;
    const hid = await ash.submit(`/moderation/act?post=${opening}`, '/moderation/act', { kind: 'hide_post', post: String(opening), agreement: AGREEMENT, reason: 'Hurtful' });
    expect(hid.status).to.equal(303);
    await eventually(async () => (await deliveries()) >= 2);
    await drain();
    const undo = remote.received.find((r) => r.activity.type === 'Undo');
    expect(undo, JSON.stringify(remote.received.map((r) => r.activity.type))).to.not.equal(undefined);
    const undone = undo!.activity.object as Record<string, unknown>;
    expect(undone.type).to.equal('Announce');
    const boosted = undone.object as string | Record<string, unknown>;
    expect(typeof boosted === 'string' ? boosted : boosted.id).to.equal(note.id);
    const removal = remote.received.find((r) => r.activity.type === 'Announce' && (r.activity.object as Record<string, unknown>)?.type === 'Delete');
    expect(removal).to.not.equal(undefined);
    expect((removal!.activity.object as Record<string, unknown>).object).to.equal(note.id);
    expect((removal!.activity.object as Record<string, unknown>).actor).to.equal(`${origin}/c/voices`);
    // The Note itself is no longer served.
    const fetched = await fetch(String(note.id), { headers: { accept: 'application/activity+json' } });
    expect(fetched.status).to.equal(404);
    expect(path).to.be.a('string');
  });

  it('blocks a remote account from a circle with a Block, and refuses its posts there', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'Opening words.' });
    const noteId = await remoteReply(path, 'First remote reply');
    const replyId = (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [noteId]))[0]!.id;
    remote.received.length = 0;
    const act = await ash.submit(`/moderation/act?post=${replyId}`, '/moderation/act', { kind: 'remove_member', post: String(replyId), agreement: AGREEMENT, reason: 'Harassing members' });
    expect(act.status, act.text).to.equal(303);
    const queue = await birch.get('/c/voices/review');
    const actionId = idFrom(queue.text, /\/moderation\/actions\/(\d+)\/confirm/);
    expect((await birch.submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);
    await eventually(async () => (await deliveries()) > 0);
    await drain();
    const block = remote.received.find((r) => r.activity.type === 'Block');
    expect(block, JSON.stringify(remote.received.map((r) => r.activity.type))).to.not.equal(undefined);
    expect(block!.activity.actor).to.equal(`${origin}/c/voices`);
    expect(block!.activity.object).to.equal(remote.actorId);
    // A new reply from that account is not placed in the thread.
    const opening = (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE is_opening ORDER BY id DESC LIMIT 1'))[0]!.id;
    const second = `${remote.origin}/users/bob/statuses/second`;
    await remote.send(`${origin}/inbox`, { id: `${second}/activity`, type: 'Create', actor: remote.actorId, object: { id: second, type: 'Note', attributedTo: remote.actorId, inReplyTo: `${origin}/p/${opening}`, content: '<p>Second remote reply</p>', to: [PUBLIC] }, to: [PUBLIC] });
    await hearth.federation.settled();
    expect((await new Visitor(hearth).get(`${path}?y=1`)).text).not.to.contain('Second remote reply');
  });

  it('blocks another instance with two stewards: its activities are refused at the inbox and nothing is delivered to it', async () => {
    await follow();
    await hearth.db.query("UPDATE members SET role = 'steward' WHERE handle = 'birch'");
    const host = new URL(remote.origin).host;
    const proposed = await steward.submit('/moderation/act', '/moderation/act', { kind: 'block_instance', host, agreement: 'Instance agreement 5 (version 1): No harassment, threats, or hateful words about anyone.', reason: 'Coordinated harassment from that server' });
    expect(proposed.status, proposed.text).to.equal(303);
    // Not yet in effect: one steward alone cannot block a server.
    const before = await remote.send(`${origin}/c/voices/inbox`, { id: `${remote.origin}/follows/2`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/voices` });
    expect(before.status).to.equal(200);
    await drain();
    const queue = await birch.get('/moderation/review');
    const actionId = idFrom(queue.text, /\/moderation\/actions\/(\d+)\/confirm/);
    expect((await steward.submit('/moderation/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(403);
    expect((await birch.submit('/moderation/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);

    const refused = await remote.send(`${origin}/inbox`, { id: `${remote.origin}/statuses/9/activity`, type: 'Create', actor: remote.actorId, object: { id: `${remote.origin}/statuses/9`, type: 'Note', attributedTo: remote.actorId, content: '<p>hi</p>', to: [PUBLIC, `${origin}/c/voices`] } });
    expect(refused.status).to.equal(403);
    remote.received.length = 0;
    await startThread(alice, 'voices', { title: 'After the block', body: 'Not for them.' });
    await eventually(async () => (await deliveries()) >= 1);
    await drain();
    expect(remote.received).to.have.length(0);
    expect((await new Visitor(hearth).get('/moderation/log')).text).to.contain(`Blocked another server (${host})`);
  });

  it('never accepts a follow of a members-only circle, and sends it nothing', async () => {
    await openCircle(steward, 'inner', 'Inner circle', 'members');
    const res = await remote.send(`${origin}/c/inner/inbox`, { id: `${remote.origin}/follows/9`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/inner` });
    expect(res.status, res.text).to.equal(200);
    // The circle sends a Reject; its actor answers 404 to other servers (members-only means members only),
    // so they may not be able to check it: the follow just never becomes accepted.
    await eventually(async () => (await deliveries()) > 0);
    await drain();
    expect(remote.received.filter((r) => r.activity.type === 'Accept')).to.have.length(0);
    remote.received.length = 0;
    await admitToCircle(steward, alice, 'inner');
    await startThread(alice, 'inner', { title: 'Just us', body: 'Stays here.' });
    await hearth.federation.settled();
    await drain();
    expect(remote.received).to.have.length(0);
  });
});
