import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { insertFollow, markFollowAccepted, upsertRemoteCircle } from '../../../src/storage/repositories/remote-circle-repository.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { admitToCircle, eventually, listeningHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

describe('@mentions across servers', function () {
  this.timeout(90_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;
  let steward: Visitor;
  let alice: Visitor;
  let bobAt: string;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
    bobAt = `@bob@${new URL(remote.origin).host}`;
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  const drain = () => hearth.federation.worker.drain();
  const remoteMentions = async (postId: number) =>
    (await hearth.db.query<{ iri: string }>('SELECT remote_actor_iri AS iri FROM post_mentions WHERE post_id = $1 AND remote_actor_iri IS NOT NULL', [postId])).map((r) => r.iri);
  const memberMentions = async (postId: number) =>
    (await hearth.db.query<{ handle: string }>('SELECT m.handle FROM post_mentions pm JOIN members m ON m.id = pm.member_id WHERE pm.post_id = $1 ORDER BY 1', [postId])).map((r) => r.handle);
  const postIdOn = async (path: string) => Number(/\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]);
  const webfingers = () => remote.requests.filter((r) => r.startsWith('GET /.well-known/webfinger')).length;

  it('links a person elsewhere found by WebFinger, tags the Note with a Mention and delivers it to their inbox though they follow nothing here', async () => {
    const path = await startThread(alice, 'voices', { title: 'Thanks', body: `Thank you ${bobAt}, and @river.` });
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain(`href="${remote.origin}/@bob" class="u-url mention" rel="nofollow noopener ugc">${bobAt}</a>`);
    const postId = await postIdOn(path);
    expect(await remoteMentions(postId)).to.deep.equal([remote.actorId]);
    expect(await memberMentions(postId)).to.deep.equal(['river']);

    const create = await eventually(async () => {
      await drain();
      return remote.received.find((r) => r.activity.type === 'Create');
    });
    expect(create.path).to.equal('/users/bob/inbox');
    expect(create.signatureProblem).to.equal(undefined);
    expect(create.activity.actor).to.equal(`${origin}/u/alice`);
    expect(create.activity.cc).to.include(remote.actorId);
    const note = create.activity.object as Record<string, unknown>;
    expect(note.cc).to.include(remote.actorId);
    const tags = ([] as Array<Record<string, unknown>>).concat(note.tag as Array<Record<string, unknown>>);
    expect(tags).to.deep.include({ type: 'Mention', href: remote.actorId, name: bobAt });
    expect(tags).to.deep.include({ type: 'Mention', href: `${origin}/u/river`, name: `@river@${new URL(origin).host}` });
    expect(note.to).to.deep.equal(PUBLIC);

    // The Note fetched from its address carries the same mentions.
    const fetched = (await (await fetch(`${origin}/p/${postId}`, { headers: { accept: 'application/activity+json' } })).json()) as Record<string, unknown>;
    expect(fetched.cc).to.include(remote.actorId);
    expect(fetched.tag).to.deep.include({ type: 'Mention', href: remote.actorId });
  });

  it('delivers an edit that adds a mention to the newly mentioned person', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'before' });
    const postId = await postIdOn(path);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM outbox_events')).length === 0);
    await drain();
    expect(remote.received).to.deep.equal([]);
    const edited = await alice.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'Hello', body: `after, ${bobAt}`, contentWarning: '' });
    expect(edited.status).to.equal(303);
    const update = await eventually(async () => {
      await drain();
      return remote.received.find((r) => r.activity.type === 'Update');
    });
    expect(update.path).to.equal('/users/bob/inbox');
    expect(([] as unknown[]).concat((update.activity.object as Record<string, unknown>).tag)).to.deep.include({ type: 'Mention', href: remote.actorId, name: bobAt });
  });

  it('leaves a handle nobody answers for as text, and the post still goes up', async () => {
    const path = await startThread(alice, 'voices', {
      title: 'Hello',
      body: `Hi @nobody@${new URL(remote.origin).host} and @carol@nowhere.invalid`,
    });
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain(`Hi @nobody@${new URL(remote.origin).host} and @carol@nowhere.invalid`);
    expect(page.text).to.not.contain('class="u-url mention"');
    expect(await remoteMentions(await postIdOn(path))).to.deep.equal([]);
  });

  it('looks up at most 10 people elsewhere per post; the rest stay text', async () => {
    const host = new URL(remote.origin).host;
    const many = Array.from({ length: 40 }, (_, i) => `@someone${i}@${host}`).join(' ');
    const path = await startThread(alice, 'voices', { title: 'So many', body: `${many} ${bobAt}` });
    expect(webfingers()).to.equal(10);
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain(`@someone39@${host}`);
    expect(page.text).to.not.contain('class="u-url mention"');
  });

  it('never looks up or sends to people elsewhere from a members-only circle', async () => {
    await openCircle(steward, 'quiet', 'Quiet room', 'members');
    await admitToCircle(steward, alice, 'quiet');
    const path = await startThread(alice, 'quiet', { title: 'Private', body: `Hi ${bobAt}` });
    expect(webfingers()).to.equal(0);
    expect((await alice.get(path)).text).to.contain(`Hi ${bobAt}`);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM outbox_events')).length === 0);
    await drain();
    expect(remote.received).to.deep.equal([]);
  });

  it('records members a reply from elsewhere mentions (and nobody for unknown handles)', async () => {
    await memberVisitor(hearth, 'willow');
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'first words' });
    const postId = await postIdOn(path);
    const noteId = `${remote.origin}/users/bob/statuses/7`;
    const res = await remote.send(`${origin}/u/alice/inbox`, {
      id: `${noteId}/activity`, type: 'Create', actor: remote.actorId, to: [PUBLIC],
      object: {
        id: noteId, type: 'Note', attributedTo: remote.actorId, inReplyTo: `${origin}/p/${postId}`, to: [PUBLIC], cc: [`${origin}/u/alice`, `${origin}/u/willow`],
        content: `<p><span class="h-card"><a href="${origin}/u/alice" class="u-url mention">@alice</a></span> <span class="h-card"><a href="${origin}/u/willow" class="u-url mention">@willow</a></span> you are not alone</p>`,
        tag: [
          { type: 'Mention', href: `${origin}/u/alice`, name: `@alice@${new URL(origin).host}` },
          { type: 'Mention', href: `${origin}/u/willow`, name: `@willow@${new URL(origin).host}` },
          { type: 'Mention', href: `${origin}/u/nobody_here` },
          { type: 'Mention', href: `https://elsewhere.example/u/alice` },
        ],
      },
    });
    expect(res.status, res.text).to.equal(200);
    const replyId = await eventually(async () => (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [noteId]))[0]?.id);
    expect(await memberMentions(replyId)).to.deep.equal(['alice', 'willow']);
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain('class="h-card"');
  });

  it('records members a new thread from elsewhere mentions', async () => {
    const noteId = `${remote.origin}/users/bob/statuses/8`;
    const res = await remote.send(`${origin}/c/voices/inbox`, {
      id: `${noteId}/activity`, type: 'Create', actor: remote.actorId, to: [PUBLIC],
      object: {
        id: noteId, type: 'Note', attributedTo: remote.actorId, to: [PUBLIC], cc: [`${origin}/c/voices`, `${origin}/u/alice`],
        content: '<p>@voices @alice does anyone else hear this?</p>',
        tag: [{ type: 'Mention', href: `${origin}/c/voices` }, { type: 'Mention', href: `${origin}/u/alice` }],
      },
    });
    expect(res.status, res.text).to.equal(200);
    const postId = await eventually(async () => (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [noteId]))[0]?.id);
    expect(await memberMentions(postId)).to.deep.equal(['alice']);
  });
});

describe('@mentions in circles followed elsewhere', function () {
  this.timeout(90_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  it('records members a followed circle’s post mentions, and sends a member’s reply there also to the person it mentions', async () => {
    await withSteward(hearth);
    const alice = await memberVisitor(hearth, 'alice');
    const aliceId = (await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'"))[0]!.id;
    // The circle elsewhere, followed (and accepted) by alice; its inbox is the remote server's shared inbox.
    const groupIri = `${remote.origin}/groups/kin`;
    const circle = await upsertRemoteCircle(hearth.db, { iri: groupIri, host: new URL(remote.origin).host, handle: 'kin', name: 'Kin', summary: '', inbox: `${remote.origin}/inbox`, sharedInbox: null });
    await insertFollow(hearth.db, aliceId, circle.id, `${origin}/follows/kin`);
    await markFollowAccepted(hearth.db, `${origin}/follows/kin`);

    const opening = await hearth.services.followed.receive(
      groupIri,
      {
        apId: `${remote.origin}/notes/1`,
        author: { iri: remote.actorId, host: new URL(remote.origin).host, handle: 'bob', displayName: 'Bob Remote', profileUrl: null, avatarUrl: null },
        html: '<p>@alice are you around?</p>',
        contentWarning: null,
        published: new Date(),
        mentionedHandles: ['alice', 'nobody_here'],
      },
      undefined,
      'Around?',
      (id) => `${origin}/p/${id}`,
    );
    const mentioned = await hearth.db.query<{ member_id: number }>('SELECT member_id FROM post_mentions WHERE post_id = $1', [opening!.id]);
    expect(mentioned.map((r) => r.member_id)).to.deep.equal([aliceId]);

    const path = `/f/${circle.id}/t/${opening!.threadId}`;
    const reply = await alice.submit(path, `${path}/reply`, { body: `I am, and so is @bob@${new URL(remote.origin).host}`, contentWarning: '' });
    expect(reply.status, reply.text).to.equal(303);
    const creates = await eventually(async () => {
      await hearth.federation.worker.drain();
      const found = remote.received.filter((r) => r.activity.type === 'Create');
      return found.length >= 2 && found;
    });
    expect(creates.map((c) => c.path).sort()).to.deep.equal(['/inbox', '/users/bob/inbox']);
    const note = creates[0]!.activity.object as Record<string, unknown>;
    expect(([] as unknown[]).concat(note.tag)).to.deep.include({ type: 'Mention', href: remote.actorId, name: `@bob@${new URL(remote.origin).host}` });
    expect(note.cc).to.include(remote.actorId);
  });
});
