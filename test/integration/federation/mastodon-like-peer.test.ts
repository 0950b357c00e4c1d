import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { eventually, listeningHearth, memberVisitor, openCircle, saveSettings, settled, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

describe('federating with a Mastodon-like server', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;
  let alice: Visitor;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  const drain = () => hearth.federation.worker.drain();
  const follow = async () => {
    const res = await remote.send(`${origin}/c/voices/inbox`, {
      id: `${remote.origin}/follows/1`,
      type: 'Follow',
      actor: remote.actorId,
      object: `${origin}/c/voices`,
    });
    expect(res.status, res.text).to.equal(200);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length > 0);
    await drain();
  };

  it('accepts a follow, then sends new threads as the circle’s boosts with title and content warning', async () => {
    await follow();
    const accept = remote.received.find((r) => r.activity.type === 'Accept');
    expect(accept, JSON.stringify(remote.received)).to.not.equal(undefined);
    expect(accept!.signatureProblem).to.equal(undefined);
    expect(accept!.activity.actor).to.equal(`${origin}/c/voices`);
    // The Follow is embedded whole, as Mastodon sends it.
    expect(accept!.activity.object).to.deep.equal({ id: `${remote.origin}/follows/1`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/voices` });

    remote.received.length = 0;
    await startThread(alice, 'voices', { title: 'A hard week', body: 'It was *loud*.', contentWarning: 'voices' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    const announces = remote.received.filter((r) => r.activity.type === 'Announce');
    expect(announces.map((a) => a.signatureProblem)).to.deep.equal([undefined, undefined]);
    const note = announces.map((a) => a.activity.object as Record<string, unknown>).find((o) => o.type === 'Note')!;
    expect(note).to.deep.include({ name: 'A hard week', summary: 'voices', sensitive: true, audience: `${origin}/c/voices` });
    expect(String(note.content)).to.contain('<strong>A hard week</strong>');
    const create = announces.map((a) => a.activity.object as Record<string, unknown>).find((o) => o.type === 'Create')!;
    expect(create.actor).to.equal(`${origin}/u/alice`);
    expect(announces[0]!.activity.to).to.deep.equal(PUBLIC);
  });

  it('sends members’ edits and deletions to the circle’s followers, as the member and announced by the circle', async () => {
    await follow();
    const path = await startThread(alice, 'voices', { title: 'Edit me', body: 'before' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    remote.received.length = 0;

    await alice.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'Edit me', body: 'after', contentWarning: '' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    const update = remote.received.find((r) => r.activity.type === 'Update')!;
    expect(update.activity.actor).to.equal(`${origin}/u/alice`);
    expect(update.signatureProblem).to.equal(undefined);
    expect(String((update.activity.object as Record<string, unknown>).content)).to.contain('after');
    expect(remote.received.some((r) => r.activity.type === 'Announce' && (r.activity.object as Record<string, unknown>).type === 'Update')).to.equal(true);

    remote.received.length = 0;
    await alice.submit(`/p/${postId}/delete`, `/p/${postId}/delete`, {});
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    const del = remote.received.find((r) => r.activity.type === 'Delete')!;
    expect(del.activity.actor).to.equal(`${origin}/u/alice`);
    expect((del.activity.object as Record<string, unknown>).type).to.equal('Tombstone');
  });

  it('starts a thread from a post addressed to the circle, and announces replies from elsewhere to the other followers', async () => {
    await follow();
    remote.received.length = 0;
    const noteId = `${remote.origin}/users/bob/statuses/7`;
    const res = await remote.send(`${origin}/inbox`, {
      id: `${noteId}/activity`,
      type: 'Create',
      actor: remote.actorId,
      object: { id: noteId, type: 'Note', attributedTo: remote.actorId, name: 'Hello circle', content: '<p>Hello circle, anyone around?</p>', to: [PUBLIC, `${origin}/c/voices`] },
      to: [PUBLIC, `${origin}/c/voices`],
    });
    expect(res.status, res.text).to.equal(200);
    const list = await eventually(async () => {
      const p = await new Visitor(hearth).get('/c/voices?x=1');
      return p.text.includes('Hello circle') && p.text;
    });
    expect(list).to.contain('Bob Remote');
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 1);
    await drain();
    const announce = remote.received.find((r) => r.activity.type === 'Announce');
    expect(announce?.activity.object).to.equal(noteId);
  });

  it('starts a thread from a post that mentions the circle, as Mastodon users write it', async () => {
    const noteId = `${remote.origin}/users/bob/statuses/8`;
    const res = await remote.send(`${origin}/inbox`, {
      id: `${noteId}/activity`,
      type: 'Create',
      actor: remote.actorId,
      object: {
        id: noteId,
        type: 'Note',
        attributedTo: remote.actorId,
        content: '<p><span class="h-card"><a href="' + origin + '/c/voices" class="u-url mention">@voices</a></span> does anyone else hear music at night?</p>',
        tag: [{ type: 'Mention', href: `${origin}/c/voices`, name: '@voices@127.0.0.1' }],
        to: [PUBLIC],
      },
      to: [PUBLIC],
    });
    expect(res.status, res.text).to.equal(200);
    const list = await eventually(async () => {
      const p = await new Visitor(hearth).get('/c/voices?m=1');
      return p.text.includes('hear music at night') && p.text;
    });
    expect(list).to.contain('Bob Remote');
    // The title is the post's first words, without the leading mention.
    const [thread] = await hearth.db.query<{ title: string }>('SELECT title FROM threads ORDER BY id DESC LIMIT 1');
    expect(thread!.title).to.equal('does anyone else hear music at night?');
    expect(list).to.contain('>does anyone else hear music at night?<');
  });

  it('serves what a member’s actor links to, and declares every term it uses', async () => {
    const get = async (p: string) => {
      const res = await fetch(`${origin}${p}`, { headers: { accept: 'application/activity+json' } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const person = (await get('/u/alice')).body;
    for (const link of ['inbox', 'outbox', 'followers', 'following'] as const) {
      if (link === 'inbox') continue; // POST only
      const res = await get(new URL(String(person[link])).pathname);
      expect(res.status, link).to.equal(200);
      expect(res.body.type, link).to.match(/OrderedCollection/);
    }
    const following = (await get('/u/alice/following')).body;
    expect(following).to.deep.include({ id: `${origin}/u/alice/following`, type: 'OrderedCollection', totalItems: 0 });
    const extension = (person['@context'] as unknown[]).find((c) => typeof c === 'object') as Record<string, string>;
    for (const term of Object.keys(person).filter((k) => !k.startsWith('@'))) {
      if (['id', 'type', 'preferredUsername', 'name', 'summary', 'url', 'inbox', 'outbox', 'followers', 'following', 'endpoints', 'publicKey', 'published'].includes(term)) continue;
      expect(extension[term], `the context defines ${term}`).to.be.a('string');
    }
    expect(extension.indexable).to.equal('toot:indexable');
  });

  it('serves the member’s outbox of public posts and the circle’s followers', async () => {
    await follow();
    await startThread(alice, 'voices', { title: 'Outbox', body: 'in my outbox' });
    await eventually(async () => (await hearth.db.query("SELECT 1 FROM ap_activities WHERE doc->>'type' = 'Create'")).length >= 1);
    const get = async (p: string) => {
      const res = await fetch(`${origin}${p}`, { headers: { accept: 'application/activity+json' } });
      return (await res.json()) as Record<string, unknown>;
    };
    const outbox = await get('/u/alice/outbox?page=true');
    const items = outbox.orderedItems as Array<Record<string, unknown>>;
    expect(items.some((a) => a.type === 'Create')).to.equal(true);
    const followers = await get('/c/voices/followers');
    expect(followers.totalItems).to.equal(1);
  });

  it('keeps the posts of members who chose so on this instance, and unlisted profiles out of WebFinger', async () => {
    await follow();
    remote.received.length = 0;
    const res = await saveSettings(alice, { profileListed: null, federatePosts: null });
    expect(res.status).to.equal(303);
    const path = await startThread(alice, 'voices', { title: 'Only here', body: 'stays on this instance' });
    await hearth.federation.settled();
    await drain();
    expect(remote.received).to.deep.equal([]);
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    const note = await fetch(`${origin}/p/${postId}`, { headers: { accept: 'application/activity+json' } });
    expect(note.status).to.equal(404);
    const finger = await fetch(`${origin}/.well-known/webfinger?resource=acct:alice@${new URL(origin).host}`);
    expect(finger.status).to.equal(404);
    expect((await new Visitor(hearth).get('/u/alice')).status).to.equal(404);
    expect((await alice.get('/u/alice')).status).to.equal(200);
  });

  it('shows other servers nothing of an unlisted member but the key that verifies what they send', async () => {
    await saveSettings(alice, { displayName: 'Alice Private', bio: 'Things about me' });
    await follow();
    remote.received.length = 0;
    expect((await saveSettings(alice, { displayName: 'Alice Private', bio: 'Things about me', profileListed: null })).status).to.equal(303);
    const actor = await fetch(`${origin}/u/alice`, { headers: { accept: 'application/activity+json' } });
    expect(actor.status).to.equal(200);
    const person = (await actor.json()) as Record<string, unknown>;
    expect(Object.keys(person).sort()).to.deep.equal(
      ['@context', 'id', 'type', 'preferredUsername', 'inbox', 'endpoints', 'publicKey', 'manuallyApprovesFollowers', 'discoverable', 'indexable'].sort(),
    );
    expect(JSON.stringify(person)).not.to.match(/Alice Private|Things about me|published/);
    for (const p of ['/u/alice/following', '/u/alice/followers', '/u/alice/outbox']) {
      expect((await fetch(`${origin}${p}`, { headers: { accept: 'application/activity+json' } })).status, p).to.equal(404);
    }
    expect((await fetch(`${origin}/.well-known/webfinger?resource=acct:alice@${new URL(origin).host}`)).status).to.equal(404);
    expect((await new Visitor(hearth).get('/u/alice')).status).to.equal(404);
    // Their posts still reach other servers, and verify against that key.
    await startThread(alice, 'voices', { title: 'Still shared', body: 'my post travels' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    const create = remote.received.map((r) => r.activity.object as Record<string, unknown>).find((o) => o.type === 'Create');
    expect(create?.actor).to.equal(`${origin}/u/alice`);
    // An edit comes from the member herself: the peer verifies it with the key of her minimal actor.
    const postId = (await hearth.db.query<{ id: number }>("SELECT id FROM posts ORDER BY id DESC LIMIT 1"))[0]!.id;
    remote.received.length = 0;
    await alice.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'Still shared', body: 'my post travels far', contentWarning: '' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 1);
    await drain();
    const update = remote.received.find((r) => r.activity.type === 'Update');
    expect(update?.activity.actor).to.equal(`${origin}/u/alice`);
    expect(update!.signatureProblem).to.equal(undefined);
  });

  it('places a reply sent to the author’s inbox in the thread, and applies its edit and deletion', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'first words' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    const noteId = `${remote.origin}/users/bob/statuses/1`;
    const note = {
      id: noteId,
      type: 'Note',
      attributedTo: remote.actorId,
      inReplyTo: `${origin}/p/${postId}`,
      content: '<p>Hi from afar <script>alert(1)</script></p>',
      summary: 'a feeling',
      sensitive: true,
      to: [PUBLIC],
      cc: [`${origin}/u/alice`],
      published: new Date().toISOString(),
    };
    const res = await remote.send(`${origin}/u/alice/inbox`, { id: `${noteId}/activity`, type: 'Create', actor: remote.actorId, object: note, to: [PUBLIC] });
    expect(res.status, res.text).to.equal(200);
    const page = await eventually(async () => {
      const p = await new Visitor(hearth).get(`${path}?r=1`);
      return p.text.includes('Hi from afar') && p.text;
    });
    expect(page).to.contain('Bob Remote');
    expect(page).to.contain('@bob@127.0.0.1');
    expect(page).to.contain('Content warning:</span> a feeling');
    expect(page).not.to.contain('<script>alert');

    await remote.send(`${origin}/inbox`, { id: `${noteId}/edit`, type: 'Update', actor: remote.actorId, object: { ...note, content: '<p>Edited from afar</p>' } });
    await eventually(async () => (await new Visitor(hearth).get(`${path}?r=2`)).text.includes('Edited from afar'));

    await remote.send(`${origin}/inbox`, { id: `${noteId}/delete`, type: 'Delete', actor: remote.actorId, object: { id: noteId, type: 'Tombstone' } });
    const after = await eventually(async () => {
      const p = await new Visitor(hearth).get(`${path}?r=3`);
      return !p.text.includes('Edited from afar') && p.text;
    });
    expect(after).to.contain('This post was deleted by its author.');
  });

  it('sends a member’s reaction on a reply from elsewhere to its author as a Like, and its Undo', async () => {
    const path = await startThread(alice, 'voices', { title: 'Thanks', body: 'words' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    const noteId = `${remote.origin}/users/bob/statuses/20`;
    await remote.send(`${origin}/u/alice/inbox`, {
      id: `${noteId}/activity`, type: 'Create', actor: remote.actorId, to: [PUBLIC],
      object: { id: noteId, type: 'Note', attributedTo: remote.actorId, inReplyTo: `${origin}/p/${postId}`, content: '<p>you are not alone</p>', to: [PUBLIC] },
    });
    const replyId = await eventually(async () => (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [noteId]))[0]?.id);
    await alice.submit(path, `/p/${replyId}/react`, { kind: 'thanks', give: '1' });
    await eventually(async () => (await hearth.db.query("SELECT 1 FROM ap_deliveries d LEFT JOIN ap_delivery_bodies b ON b.id = d.body_id WHERE COALESCE(b.body, d.body) LIKE '%Like%'")).length > 0);
    await drain();
    const like = remote.received.find((r) => r.activity.type === 'Like')!;
    expect(like.activity).to.deep.include({ actor: `${origin}/u/alice`, object: noteId, content: '🙏' });
    expect(like.signatureProblem).to.equal(undefined);
    await alice.submit(path, `/p/${replyId}/react`, { kind: 'thanks', give: '0' });
    await eventually(async () => (await hearth.db.query("SELECT 1 FROM ap_deliveries d LEFT JOIN ap_delivery_bodies b ON b.id = d.body_id WHERE COALESCE(b.body, d.body) LIKE '%Undo%'")).length > 0);
    await drain();
    expect(remote.received.some((r) => r.activity.type === 'Undo')).to.equal(true);
  });

  it('counts Likes as "I hear you", once each, until they are undone', async () => {
    const path = await startThread(alice, 'voices', { title: 'Liked', body: 'words' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    const like = { id: `${remote.origin}/likes/1`, type: 'Like', actor: remote.actorId, object: `${origin}/p/${postId}` };
    expect((await remote.send(`${origin}/inbox`, like)).status).to.equal(202);
    // The same Like arriving again (here at the circle's own inbox) counts once.
    expect((await remote.send(`${origin}/c/voices/inbox`, like)).status).to.equal(202);
    // Stored before the answer, applied by the inbox worker.
    await settled();
    expect((await new Visitor(hearth).get(`${path}?l=1`)).text).to.contain('I hear you: 1');
    // Alice is told once, that someone elsewhere said "I hear you".
    const told = await hearth.db.query<{ kind: string; remote: boolean; reaction: string }>(
      `SELECT n.kind, n.actor_remote_id IS NOT NULL AS remote, n.details ->> 'reaction' AS reaction
       FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.handle = 'alice' AND n.post_id = $1`,
      [Number(postId)],
    );
    expect(told).to.deep.equal([{ kind: 'reaction', remote: true, reaction: 'hear' }]);
    const undo = await remote.send(`${origin}/inbox`, { id: `${remote.origin}/likes/1/undo`, type: 'Undo', actor: remote.actorId, object: like });
    expect(undo.status).to.equal(202);
    await settled();
    expect((await new Visitor(hearth).get(`${path}?l=2`)).text).not.to.contain('I hear you');
  });

  describe('refuses what it cannot trust, storing nothing', () => {
    const activity = () => ({ id: `${remote.origin}/follows/x`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/voices` });
    const stored = async () => (await hearth.db.query('SELECT 1 FROM ap_activities')).length;

    it('unsigned, wrongly signed, replayed, from another actor, or with a body that does not match', async () => {
      const before = await stored();
      const cases: Array<[string, Promise<{ status: number; text: string }>]> = [
        ['unsigned', remote.send(`${origin}/c/voices/inbox`, activity(), { sign: false })],
        ['old date', remote.send(`${origin}/c/voices/inbox`, activity(), { date: new Date(Date.now() - 3 * 3600_000) })],
        ['body changed after signing', remote.send(`${origin}/c/voices/inbox`, activity(), { body: JSON.stringify({ ...activity(), object: `${origin}/c/other` }) })],
        ['actor is not the signer', remote.send(`${origin}/c/voices/inbox`, { ...activity(), actor: `${remote.origin}/users/carol` })],
      ];
      const impersonating = await remote.send(`${origin}/inbox`, {
        id: `${remote.origin}/s/imp`,
        type: 'Create',
        actor: remote.actorId,
        object: { id: `${remote.origin}/s/imp/note`, type: 'Note', attributedTo: `${origin}/u/alice`, content: 'not mine', to: [PUBLIC] },
      });
      expect(impersonating.status, impersonating.text).to.equal(403);
      for (const [name, pending] of cases) {
        const res = await pending;
        expect(res.status, `${name}: ${res.text}`).to.equal(401);
      }
      expect(await stored()).to.equal(before);
      // A valid request accepted once is refused when sent again as it was.
      const first = await remote.send(`${origin}/c/voices/inbox`, activity());
      expect(first.status, first.text).to.equal(200);
      const again = await remote.replay();
      expect(again.status).to.equal(401);
      expect(again.text).to.contain('replayed');
    });

    it('checks date, digest and key host before fetching any key, and fetches a missing key once, within a limit per server', async () => {
      const keyFetches = () => remote.requests.filter((r) => r.startsWith('GET ')).length;
      const cases: Array<[string, Promise<{ status: number; text: string }>]> = [
        ['unsigned', remote.send(`${origin}/c/voices/inbox`, activity(), { sign: false })],
        ['old date', remote.send(`${origin}/c/voices/inbox`, activity(), { date: new Date(Date.now() - 3 * 3600_000) })],
        ['wrong digest', remote.send(`${origin}/c/voices/inbox`, activity(), { digest: 'SHA-256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })],
        ['body changed after signing', remote.send(`${origin}/c/voices/inbox`, activity(), { body: JSON.stringify({ ...activity(), object: `${origin}/c/other` }) })],
        ['key on another host', remote.send(`${origin}/c/voices/inbox`, activity(), { keyId: 'https://elsewhere.example/users/bob#main-key' })],
      ];
      for (const [name, pending] of cases) expect((await pending).status, name).to.equal(401);
      expect(remote.requests, 'no key was fetched').to.deep.equal([]);

      // A key that cannot be had is asked for once, not once per request.
      const nobody = `${remote.origin}/users/nobody`;
      for (let i = 0; i < 3; i++) {
        const res = await remote.send(`${origin}/c/voices/inbox`, { ...activity(), id: `${remote.origin}/follows/n${i}`, actor: nobody }, { keyId: `${nobody}#main-key` });
        expect(res.status).to.equal(401);
        expect(res.text).to.contain('unknown_signer');
      }
      expect(remote.requests).to.deep.equal(['GET /users/nobody']);

      // Ever new key ids from one server: only a few are fetched before it has to wait.
      const answers: number[] = [];
      for (let i = 0; i < 15; i++) {
        const who = `${remote.origin}/users/ghost${i}`;
        answers.push((await remote.send(`${origin}/c/voices/inbox`, { ...activity(), id: `${remote.origin}/follows/g${i}`, actor: who }, { keyId: `${who}#main-key` })).status);
      }
      expect(keyFetches()).to.be.at.most(10);
      expect(answers).to.include(429);
      expect(answers.every((s) => s === 401 || s === 429)).to.equal(true);
    });

    it('malformed JSON, shapes it does not understand, and oversized bodies', async () => {
      const before = await stored();
      expect((await remote.send(`${origin}/c/voices/inbox`, {}, { body: '{not json', sign: false })).status).to.equal(400);
      expect((await remote.send(`${origin}/c/voices/inbox`, { type: ['Follow'], actor: remote.actorId })).status).to.equal(400);
      expect((await remote.send(`${origin}/c/voices/inbox`, { type: 'Follow' })).status).to.equal(400);
      expect((await remote.send(`${origin}/c/voices/inbox`, { ...activity(), id: 42 })).status).to.equal(400);
      const big = await remote.send(`${origin}/c/voices/inbox`, { ...activity(), content: 'x'.repeat(600 * 1024) });
      expect(big.status).to.equal(413);
      expect(await stored()).to.equal(before);
    });

    it('a reply to a post that does not exist leaves every thread as it was', async () => {
      const res = await remote.send(`${origin}/inbox`, {
        id: `${remote.origin}/s/9/activity`,
        type: 'Create',
        actor: remote.actorId,
        object: { id: `${remote.origin}/s/9`, type: 'Note', attributedTo: remote.actorId, inReplyTo: `${origin}/p/99999`, content: 'lost', to: [PUBLIC] },
      });
      expect(res.status).to.be.oneOf([200, 202]);
      await hearth.federation.settled();
      expect(await hearth.db.query("SELECT 1 FROM posts WHERE html LIKE '%lost%'")).to.have.length(0);
    });
  });
});
