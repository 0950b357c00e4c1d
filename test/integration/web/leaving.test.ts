import { expect } from 'chai';
import { strFromU8, unzipSync } from 'fflate';
import type { Hearth } from '../../../src/app.js';
import { eventually, freshHearth, memberVisitor, openCircle, saveSettings, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PASSWORD = 'a long enough password';

async function download(v: Visitor) {
  const token = await v.token('/settings/leave');
  // The zip is kept as bytes.
  return v.agent.post('/settings/leave/export').type('form').send({ _csrf: token }).buffer(true).parse((res, done) => {
    const stream = res as unknown as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

const postIdIn = (html: string) => /\/p\/(\d+)\/edit/.exec(html)![1]!;

describe('the right to leave', () => {
  let hearth: Hearth;
  let steward: Visitor;
  let alice: Visitor;
  let bob: Visitor;

  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
    await saveSettings(alice, { displayName: 'Alice Wren', pronouns: 'they/them', bio: 'Here on Tuesdays', email: 'alice@example.org' });
    await saveSettings(bob, { displayName: 'Bob', pronouns: '', bio: '', email: 'bob-private@example.org', cwDisplay: 'folded', mutedWords: 'bobsmutedword' });
  });
  afterEach(() => hearth.close());

  /** Alice opens a thread (with a content warning) and edits it; Bob replies; Alice reacts to the reply. */
  async function aliceThread() {
    const path = await startThread(alice, 'voices', { title: 'A loud week', body: 'First words <script>alert("x")</script>', contentWarning: 'voices at night' });
    const postId = postIdIn((await alice.get(path)).text);
    const edited = await alice.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'A loud week', body: 'Second words, calmer', contentWarning: 'voices at night' });
    expect(edited.status).to.equal(303);
    expect((await bob.submit(path, `${path}/reply`, { body: 'I hear that too' })).status).to.equal(303);
    const replyId = (await hearth.db.query<{ id: number }>("SELECT id FROM posts WHERE source = 'I hear that too'"))[0]!.id;
    expect((await alice.submit(path, `/p/${replyId}/react`, { kind: 'hear', give: '1' })).status).to.equal(303);
    return { path, postId, replyId };
  }

  async function leave(v: Visitor, fields: Record<string, string>) {
    return v.submit('/settings/leave', '/settings/leave/delete', fields);
  }

  const deletionDone = (handle: string) => eventually(async () => (await hearth.services.leaving.deletionOf(handle))?.completedAt, 10_000);

  it('is linked from the profile settings', async () => {
    const settings = await alice.get('/settings/profile');
    expect(settings.text).to.contain('href="/settings/leave"');
    const page = await alice.get('/settings/leave');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Take a copy of everything');
    expect(page.text).to.contain('action="/settings/leave/delete"');
  });

  it('gives a member a zip of everything held about them, and nothing about anyone else', async () => {
    const { postId, replyId } = await aliceThread();
    const res = await download(alice);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/zip/);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="hearth-export-alice-${today}.zip"`);

    const files = unzipSync(new Uint8Array(res.body as Buffer));
    expect(Object.keys(files).sort()).to.deep.equal(['hearth-export.html', 'hearth-export.json']);
    const jsonText = strFromU8(files['hearth-export.json']!);
    const doc = JSON.parse(jsonText) as {
      format: string;
      version: number;
      exportedAt: string;
      handle: string;
      sections: {
        profile: Record<string, unknown>;
        posts: Array<Record<string, unknown> & { thread: { title: string }; earlierVersions: Array<{ sourceMarkdown: string }> }>;
        reactions: Array<{ postId: number; kind: string; label: string; threadTitle: string }>;
        threadsStarted: Array<{ title: string }>;
      };
    };
    expect(doc).to.include({ format: 'hearth-export', version: 1, handle: 'alice' });
    expect(Date.parse(doc.exportedAt)).to.be.closeTo(Date.now(), 60_000);
    expect(doc.sections.profile).to.include({ handle: 'alice', displayName: 'Alice Wren', pronouns: 'they/them', email: 'alice@example.org' });
    expect(doc.sections.profile.privacy).to.deep.equal({
      profileListed: true,
      sharePostsWithOtherServers: true,
      suggestedByOtherServers: false,
      searchableOnOtherServers: false,
    });
    const opening = doc.sections.posts.find((p) => p.id === Number(postId))!;
    expect(opening.thread.title).to.equal('A loud week');
    expect(opening).to.include({ contentWarning: 'voices at night', sourceMarkdown: 'Second words, calmer', state: 'visible' });
    expect(String(opening.renderedHtml)).to.contain('Second words, calmer');
    expect(opening.earlierVersions.map((v) => v.sourceMarkdown)).to.deep.equal(['First words <script>alert("x")</script>']);
    expect(doc.sections.reactions).to.have.length(1);
    expect(doc.sections.reactions[0]).to.include({ postId: replyId, kind: 'hear', threadTitle: 'A loud week', label: 'I hear you' });
    expect(doc.sections.threadsStarted.map((t) => t.title)).to.deep.equal(['A loud week']);
    // Other people's words and private data stay out.
    for (const other of ['bob-private@example.org', 'bobsmutedword', 'I hear that too', 'password']) expect(jsonText).not.to.contain(other);

    const html = strFromU8(files['hearth-export.html']!);
    expect(html).to.contain("Content-Security-Policy\" content=\"default-src 'none'");
    expect(html).to.contain('voices at night');
    expect(html).to.contain('First words &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.to.match(/<script/i);
    expect(html).not.to.contain('bob-private@example.org');
  });

  it('"remove my posts": words gone, others’ replies stay, logins end, the handle stays taken', async () => {
    const { path, postId } = await aliceThread();
    const bobsThread = await startThread(bob, 'voices', { title: 'Bob asks', body: 'anyone?' });
    await alice.submit(bobsThread, `${bobsThread}/reply`, { body: 'Alice was here' });
    const otherLogin = new Visitor(hearth);
    expect((await otherLogin.login('alice')).status).to.equal(303);
    const aliceId = (await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'"))[0]!.id;

    const res = await leave(alice, { posts: 'remove', handle: 'alice', password: PASSWORD });
    expect(res.status, res.text).to.equal(303);
    expect(res.headers.location).to.equal('/goodbye');
    expect((await alice.get('/goodbye')).text).to.contain('Your account is being deleted');
    await deletionDone('alice');

    const thread = await bob.get(path);
    expect(thread.status).to.equal(200);
    expect(thread.text).to.contain('The opening post was deleted by its author');
    expect(thread.text).to.contain('This post was deleted by its author.');
    expect(thread.text).to.contain('I hear that too');
    for (const gone of ['Second words', 'First words', 'voices at night', 'Alice Wren', '@alice', 'I hear you · 1']) expect(thread.text).not.to.contain(gone);
    const other = await bob.get(bobsThread);
    expect(other.text).to.contain('anyone?');
    expect(other.text).not.to.contain('Alice was here');
    expect((await bob.get(`/p/${postId}/history`)).status).to.equal(404);
    expect(await hearth.db.query('SELECT 1 FROM post_revisions')).to.have.length(0);

    expect((await new Visitor(hearth).get('/u/alice')).status).to.equal(404);
    expect((await bob.get('/u/alice')).status).to.equal(404);
    // Every login ended; the old sessions are gone from the store.
    expect((await alice.get('/settings/profile')).status).to.equal(303);
    expect((await otherLogin.get('/settings/profile')).status).to.equal(303);
    expect(await hearth.db.query("SELECT 1 FROM sessions WHERE data->'passport'->>'user' = $1", [String(aliceId)])).to.have.length(0);
    // Deleting again from a login that ended: nothing happens.
    const again = await otherLogin.submit('/login', '/settings/leave/delete', { posts: 'remove', handle: 'alice', password: PASSWORD });
    expect(again.status).to.equal(401);
    // Logging in gets the answer any wrong handle gets.
    const login = await new Visitor(hearth).login('alice');
    expect(login.status).to.equal(401);
    expect(login.text).to.contain('That handle and password don&#x27;t match.');
    // Nobody can take the handle over.
    const taken = await new Visitor(hearth).register('alice');
    expect(taken.status).to.equal(409);
    expect(taken.text).to.contain('That handle is already taken.');
    expect(await hearth.db.query("SELECT 1 FROM members WHERE handle = 'alice'")).to.have.length(0);
    expect(await hearth.db.query("SELECT 1 FROM handles WHERE name = 'alice'")).to.have.length(1);
    expect(await hearth.db.query('SELECT 1 FROM reactions')).to.have.length(0);
  });

  it('"keep my posts without my name": posts stay under "A former member", earlier versions go', async () => {
    const { path, postId } = await aliceThread();
    const invite = await hearth.db.query("INSERT INTO invites (code, created_by, expires_at) SELECT 'unused-code', id, now() + interval '1 day' FROM members WHERE handle = 'alice' RETURNING code");
    expect(invite).to.have.length(1);

    const res = await leave(alice, { posts: 'keep', handle: '@Alice', password: PASSWORD });
    expect(res.status, res.text).to.equal(303);
    await deletionDone('alice');

    const thread = await new Visitor(hearth).get(`${path}?after=1`);
    expect(thread.text).to.contain('A loud week');
    expect(thread.text).to.contain('Second words, calmer');
    expect(thread.text).to.contain('A former member');
    expect(thread.text).to.contain('I hear that too');
    for (const gone of ['Alice Wren', '@alice', 'href="/u/alice"', 'I hear you: 1']) expect(thread.text).not.to.contain(gone);
    const history = await bob.get(`/p/${postId}/history`);
    expect(history.text).not.to.contain('First words');
    expect(history.text).to.contain('Earlier versions of this post are no longer kept.');
    expect((await bob.get('/u/alice')).status).to.equal(404);
    expect(await hearth.db.query("SELECT 1 FROM invites WHERE code = 'unused-code'")).to.have.length(0);
  });

  it('changes nothing when the handle or password is wrong, or no choice is made', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ posts: 'remove', handle: 'alice', password: 'not my password' }, 'That password doesn’t match.'],
      [{ posts: 'remove', handle: 'bob', password: PASSWORD }, 'That isn’t your handle.'],
      [{ posts: 'everything', handle: 'alice', password: PASSWORD }, 'Choose what happens to your posts.'],
    ];
    for (const [fields, message] of cases) {
      const res = await leave(alice, fields);
      expect(res.status, message).to.equal(400);
      expect(res.text).to.contain(message);
      expect(res.text).to.contain('Nothing was deleted.');
      expect(res.text).to.contain(`value="${fields.handle}"`);
      expect(res.text).not.to.contain(PASSWORD);
    }
    expect(await hearth.db.query('SELECT 1 FROM account_deletions')).to.have.length(0);
    expect((await alice.get('/settings/leave')).status).to.equal(200);
    expect((await new Visitor(hearth).login('alice')).status).to.equal(303);
  });

  it('the only steward is told why not, and offered nothing destructive', async () => {
    const page = await steward.get('/settings/leave');
    expect(page.text).to.contain('You are the only steward here');
    expect(page.text).not.to.contain('action="/settings/leave/delete"');
    const token = await steward.token('/settings/leave');
    const res = await steward.agent.post('/settings/leave/delete').type('form').set('Accept', 'text/html')
      .send({ _csrf: token, posts: 'keep', handle: 'river', password: PASSWORD });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('You are the only steward here');
    expect(await hearth.db.query('SELECT 1 FROM account_deletions')).to.have.length(0);
    expect((await steward.get('/steward')).status).to.equal(200);

    // With a second steward, they can leave.
    await hearth.services.members.create({ handle: 'sage', password: PASSWORD }, 'steward');
    expect((await steward.get('/settings/leave')).text).to.contain('action="/settings/leave/delete"');
    expect((await leave(steward, { posts: 'keep', handle: 'river', password: PASSWORD })).status).to.equal(303);
    await deletionDone('river');
    const sage = new Visitor(hearth);
    await sage.login('sage');
    expect((await sage.get('/settings/leave')).text).to.contain('You are the only steward here');
  });

  it('refuses an export or a second deletion while one is pending, and finishes a pending one later', async () => {
    // A deletion recorded by another process that stopped before carrying it out.
    await hearth.db.query("INSERT INTO account_deletions (handle, member_id, posts) SELECT handle, id, 'keep' FROM members WHERE handle = 'bob'");
    const token = await bob.token('/settings/leave');
    const exported = await bob.agent.post('/settings/leave/export').type('form').set('Accept', 'text/html').send({ _csrf: token });
    expect(exported.status).to.equal(409);
    expect(exported.text).to.contain('Your account is already being deleted.');
    const again = await leave(bob, { posts: 'remove', handle: 'bob', password: PASSWORD });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('Your account is already being deleted.');
    expect((await hearth.db.query<{ posts: string }>("SELECT posts FROM account_deletions WHERE handle = 'bob'"))[0]!.posts).to.equal('keep');

    expect(await hearth.services.leaving.carryOutPending()).to.equal(1);
    expect((await hearth.services.leaving.deletionOf('bob'))?.completedAt).to.be.instanceOf(Date);
    expect((await new Visitor(hearth).get('/u/bob')).status).to.equal(404);
    expect((await bob.get('/settings/profile')).status).to.equal(303);
    expect(await hearth.services.leaving.carryOutPending()).to.equal(0);
  });
});
