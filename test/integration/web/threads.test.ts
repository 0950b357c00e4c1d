import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

describe('circles, threads and replies (HTTP)', () => {
  let hearth: Hearth;
  let steward: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
  });
  afterEach(() => hearth.close());

  it('lists circles on the home page and opens a circle at /c/SLUG', async () => {
    const home = await new Visitor(hearth).get('/');
    expect(home.text).to.contain('href="/c/voices"');
    const circle = await new Visitor(hearth).get('/c/voices');
    expect(circle.status).to.equal(200);
    expect(circle.text).to.contain('Nobody has started a thread here yet');
  });

  it('lets only stewards open circles, with clear problems for bad addresses', async () => {
    const v = await memberVisitor(hearth, 'willow');
    expect((await v.get('/steward/circles/new')).status).to.equal(403);
    const bad = await steward.submit('/steward/circles/new', '/steward/circles/new', { slug: '9lives', name: '', purpose: '', visibility: 'public' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('starts with a letter');
    expect(bad.text).to.contain('The name can’t be empty.');
    const dup = await steward.submit('/steward/circles/new', '/steward/circles/new', { slug: 'voices', name: 'Again', purpose: '', visibility: 'public' });
    expect(dup.status).to.equal(409);
  });

  it('starts a thread with a content warning that stays folded, and a reply from someone else', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', {
      title: 'A hard week',
      body: 'The voices were **loud** this week.',
      contentWarning: 'distressing voices',
    });
    expect(path).to.match(/^\/c\/voices\/t\/\d+$/);

    const bob = await memberVisitor(hearth, 'bob');
    const reply = await bob.submit(path, `${path}/reply`, { body: 'I hear you. Mine too, sometimes.', contentWarning: '' });
    expect(reply.status).to.equal(303);
    expect(reply.headers.location).to.match(new RegExp(`^${path}#post-\\d+$`));

    const page = await new Visitor(hearth).get(path);
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/<details class="content-warning">\s*<summary><span class="cw-label">Content warning:<\/span> distressing voices/);
    expect(page.text).not.to.match(/<details[^>]*\sopen/);
    expect(page.text).to.contain('<strong>loud</strong>');
    expect(page.text).to.contain('I hear you. Mine too, sometimes.');
    expect(page.text.indexOf('loud')).to.be.lessThan(page.text.indexOf('Mine too'));

    const circle = await new Visitor(hearth).get('/c/voices');
    expect(circle.text).to.contain('A hard week');
    expect(circle.text).to.contain('1 reply');
    expect(circle.text).to.contain('Content warning: distressing voices');
  });

  it('sanitises markdown on the way in: no script survives, links get rel', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', {
      title: 'Links',
      body: '<script>alert(1)</script> [site](https://example.org) [bad](javascript:alert(1)) <img src=x onerror=alert(2)>',
    });
    const page = await new Visitor(hearth).get(path);
    expect(page.text).not.to.contain('<script>alert');
    expect(page.text).not.to.match(/href="javascript:/i);
    expect(page.text).not.to.match(/<img[^>]*onerror/i);
    expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).to.contain('href="https://example.org" rel="nofollow noopener ugc"');
  });

  it('refuses empty or oversized posts with the limits stated, keeping the typed text', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const res = await alice.submit('/c/voices/new', '/c/voices/new', { title: 't'.repeat(201), body: '   ', contentWarning: 'kept cw' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('The title can be at most 200 characters (this has 201).');
    expect(res.text).to.contain('Your post can’t be empty.');
    expect(res.text).to.contain('value="kept cw"');
    expect(res.text).to.contain('t'.repeat(201));
    const big = await alice.submit('/c/voices/new', '/c/voices/new', { title: 'Big', body: 'x'.repeat(20_001) });
    expect(big.status).to.equal(400);
    expect(big.text).to.contain('at most 20,000 characters');
    const rows = await hearth.db.query('SELECT id FROM threads');
    expect(rows).to.have.length(0);
  });

  it('lists threads by latest activity and pages long lists and long threads', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const first = await startThread(alice, 'voices', { title: 'First thread', body: 'one' });
    await startThread(alice, 'voices', { title: 'Second thread', body: 'two' });
    await alice.submit(first, `${first}/reply`, { body: 'bump' });
    const list = await alice.get('/c/voices');
    expect(list.text.indexOf('First thread')).to.be.lessThan(list.text.indexOf('Second thread'));

    // 55 posts: page 1 shows 50, page 2 the rest.
    const threadId = Number(first.split('/').pop());
    const author = (await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'"))[0]!.id;
    for (let i = 0; i < 53; i++) {
      await hearth.services.threads.reply((await hearth.services.members.findById(author))!, threadId, { body: `reply number ${i}` });
    }
    const p1 = await alice.get(first);
    const p2 = await alice.get(`${first}?page=2`);
    expect((p1.text.match(/class="post[ "]/g) ?? []).length).to.equal(50);
    expect((p2.text.match(/class="post[ "]/g) ?? []).length).to.equal(5);
    expect(p1.text.replace(/&#x3D;/g, '=')).to.contain(`href="${first}?page=2"`);
    expect((await alice.get(`${first}?page=3`)).status).to.equal(404);
    expect((await alice.get(`${first}?page=0`)).status).to.equal(404);
    expect((await alice.get(`${first}?page=abc`)).status).to.equal(404);
  });

  it('keeps edit history, and only the author may edit or delete', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', { title: 'Before', body: 'first words' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;

    const bob = await memberVisitor(hearth, 'bob');
    expect((await bob.get(`/p/${postId}/edit`)).status).to.equal(403);
    expect((await bob.get(path)).text).not.to.contain(`/p/${postId}/edit`);

    const edited = await alice.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'After', body: 'second words', contentWarning: '' });
    expect(edited.status).to.equal(303);
    const page = await bob.get(path);
    expect(page.text).to.contain('After');
    expect(page.text).to.contain('second words');
    expect(page.text).to.contain(`/p/${postId}/history`);
    const history = await bob.get(`/p/${postId}/history`);
    expect(history.text).to.contain('first words');
    expect(history.text).to.contain('Before');
  });

  it('leaves a placeholder when an author deletes a post, and removes its history', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', { title: 'Opening', body: 'opening words' });
    const bob = await memberVisitor(hearth, 'bob');
    await bob.submit(path, `${path}/reply`, { body: 'a reply to keep' });
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    await alice.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'Opening', body: 'edited words' });

    const confirm = await alice.get(`/p/${postId}/delete`);
    expect(confirm.text).to.contain('Delete your post?');
    const del = await alice.submit(`/p/${postId}/delete`, `/p/${postId}/delete`, {});
    expect(del.status).to.equal(303);

    const page = await bob.get(path);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('This post was deleted by its author.');
    expect(page.text).to.contain('a reply to keep');
    expect(page.text).not.to.contain('opening words');
    expect(page.text).not.to.contain('edited words');
    const revisions = await hearth.db.query('SELECT 1 FROM post_revisions');
    expect(revisions).to.have.length(0);
    expect((await alice.get(`/p/${postId}/edit`)).status).to.equal(404);
  });

  it('answers unknown circles, threads, posts and members with a 404 page, not a stack trace', async () => {
    const v = new Visitor(hearth);
    for (const path of ['/c/nowhere', '/c/voices/t/999', '/c/voices/t/abc', '/c/voices/t/99999999999', '/p/12345', '/u/nobody', '/no/such/page']) {
      const res = await v.get(path);
      expect(res.status, path).to.equal(404);
      expect(res.text, path).to.contain('find');
      expect(res.text, path).not.to.match(/at \w+ \(|node_modules/);
    }
  });

  it('keeps members-only circles invisible to visitors', async () => {
    await openCircle(steward, 'inner', 'Inner circle', 'members');
    const visitor = new Visitor(hearth);
    expect((await visitor.get('/')).text).not.to.contain('/c/inner');
    expect((await visitor.get('/c/inner')).status).to.equal(404);
    const alice = await memberVisitor(hearth, 'alice');
    expect((await alice.get('/')).text).to.contain('/c/inner');
    await admitToCircle(steward, alice, 'inner');
    const path = await startThread(alice, 'inner', { title: 'Private', body: 'members only' });
    expect((await visitor.get(path)).status).to.equal(404);
  });

  it('requires login to post and sends visitors to log in first', async () => {
    const v = new Visitor(hearth);
    const res = await v.get('/c/voices/new');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Fc%2Fvoices%2Fnew');
  });
});
