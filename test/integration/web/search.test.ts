import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { SEARCH_CONFIG } from '../../../src/storage/repositories/search-repository.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** The results' titles, in order, as a person reads them (marks and escapes undone). */
function titles(html: string): string[] {
  return [...html.matchAll(/<li class="thread-row search-hit">\s*<h3><a href="[^"]*">(.*?)<\/a><\/h3>/gs)].map((m) =>
    m[1]!.replace(/<\/?mark>/g, '').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
}

function links(html: string): string[] {
  return [...html.matchAll(/<li class="thread-row search-hit">\s*<h3><a href="([^"]*)">/g)].map((m) => m[1]!.replace(/&#x3D;/g, '='));
}

const search = (v: Visitor, params: Record<string, string>) => v.get(`/search?${new URLSearchParams(params).toString()}`);

async function postIdOf(hearth: Hearth, text: string): Promise<number> {
  const rows = await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE source = $1', [text]);
  if (rows.length !== 1) throw new Error(`expected one post "${text}", found ${rows.length}`);
  return rows[0]!.id;
}

async function reply(v: Visitor, threadPath: string, body: string) {
  const res = await v.submit(threadPath, `${threadPath}/reply`, { body, contentWarning: '' });
  if (res.status !== 303) throw new Error(`reply failed: ${res.status}\n${res.text}`);
}

/** Many replies at once, straight through the service (what is tested here is search, not posting). */
async function manyReplies(hearth: Hearth, handle: string, threadPath: string, bodies: string[]) {
  const [row] = await hearth.db.query<{ id: number }>('SELECT id FROM members WHERE handle = $1', [handle]);
  const author = (await hearth.services.members.findById(row!.id))!;
  const threadId = Number(threadPath.split('/').pop());
  for (const body of bodies) await hearth.services.threads.reply(author, threadId, { body });
}

async function block(blocker: Visitor, handle: string) {
  const res = await blocker.submit('/moderation', '/moderation/blocks', { handle });
  if (res.status !== 303) throw new Error(`block failed: ${res.status}\n${res.text}`);
}

describe('search (issue 10)', () => {
  describe('what each person finds', function () {
    this.timeout(60_000);
    let hearth: Hearth;
    let steward: Visitor;
    let visitor: Visitor;
    let alice: Visitor;
    let bob: Visitor;
    let carol: Visitor;
    let gardenPath: string;

    before(async function () {
      this.timeout(180_000);
      hearth = await freshHearth();
      steward = await withSteward(hearth);
      visitor = new Visitor(hearth);
      await openCircle(steward, 'voices', 'Hearing voices');
      await openCircle(steward, 'meadow', 'Meadow walks');
      await openCircle(steward, 'inner', 'Inner room', 'members');
      alice = await memberVisitor(hearth, 'alice');
      bob = await memberVisitor(hearth, 'bob');
      carol = await memberVisitor(hearth, 'carol');
      await admitToCircle(steward, alice, 'inner');

      // Ranking: a title match above a match in a post's text.
      await startThread(alice, 'voices', { title: 'Evening walks', body: 'I found gardening helps me on hard evenings.' });
      gardenPath = await startThread(steward, 'voices', { title: 'Gardening together', body: 'Let us share what grows for us.' });
      // Escaping: text that looks like HTML stays text.
      await startThread(bob, 'meadow', { title: '<b>Marigold</b> notes', body: 'The tag `<script>alert(1)</script>` marigold & more' });
      // Members-only circle.
      await startThread(steward, 'inner', { title: 'Quiet lantern', body: 'A lantern for the inner room.' });
      // States: only the visible one is found.
      await startThread(alice, 'voices', { title: 'Juniper one', body: 'juniper visible' });
      await startThread(alice, 'voices', { title: 'Juniper two', body: 'juniper held' });
      await startThread(alice, 'voices', { title: 'Juniper three', body: 'juniper hidden' });
      await startThread(alice, 'voices', { title: 'Other', body: 'juniper deleted' });
      await hearth.db.query("UPDATE posts SET state = 'held' WHERE id = $1", [await postIdOf(hearth, 'juniper held')]);
      await hearth.db.query("UPDATE posts SET state = 'hidden' WHERE id = $1", [await postIdOf(hearth, 'juniper hidden')]);
      const doomedId = await postIdOf(hearth, 'juniper deleted');
      expect((await alice.submit(`/p/${doomedId}/delete`, `/p/${doomedId}/delete`, {})).status).to.equal(303);
      // Blocks: carol writes about thistles; bob blocks carol, carol blocks alice.
      await startThread(carol, 'meadow', { title: 'Thistle', body: 'thistle seeds everywhere' });
      await block(bob, 'carol');
      await block(carol, 'alice');
    });
    after(() => hearth.close());

    it('ranks a title match above a match in the text, and highlights both', async () => {
      const res = await search(visitor, { q: 'gardening' });
      expect(res.status).to.equal(200);
      expect(titles(res.text)).to.deep.equal(['Gardening together', 'Evening walks']);
      expect(res.text).to.contain('<mark>Gardening</mark> together');
      expect(res.text).to.contain('I found <mark>gardening</mark> helps me');
      expect(res.text).to.match(/2 results/);
      expect(links(res.text)[0]).to.match(/^\/c\/voices\/t\/\d+#post-\d+$/);
    });

    it('shows text that looks like HTML escaped, with the match still marked', async () => {
      const res = await search(visitor, { q: 'marigold' });
      expect(titles(res.text)).to.deep.equal(['<b>Marigold</b> notes']);
      expect(res.text).to.contain('&lt;b&gt;<mark>Marigold</mark>&lt;/b&gt; notes');
      expect(res.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.to.contain('<script>alert');
      expect(res.text).not.to.contain('<b>Marigold');
    });

    it('shows a members-only circle only to its members', async () => {
      expect(titles((await search(visitor, { q: 'lantern' })).text)).to.deep.equal([]);
      expect(titles((await search(bob, { q: 'lantern' })).text)).to.deep.equal([]);
      expect(titles((await search(alice, { q: 'lantern' })).text)).to.deep.equal(['Quiet lantern']);
      expect(titles((await search(steward, { q: 'lantern' })).text)).to.deep.equal(['Quiet lantern']);
      // Its name is offered as a filter only to its members, and refused to others in the words used for no circle at all.
      expect((await search(alice, { q: '' })).text).to.contain('value="inner"');
      expect((await search(bob, { q: '' })).text).not.to.contain('value="inner"');
      expect((await search(visitor, { q: '' })).text).not.to.contain('Inner room');
      const refused = await search(bob, { q: 'lantern', circle: 'inner' });
      expect(refused.status).to.equal(400);
      expect(refused.text).to.contain('no circle by that address that you can see');
      const unknown = await search(bob, { q: 'lantern', circle: 'nowhere' });
      expect(unknown.text).to.contain('no circle by that address that you can see');
    });

    it('never finds held, hidden or deleted posts', async () => {
      const res = await search(steward, { q: 'juniper' });
      expect(titles(res.text)).to.deep.equal(['Juniper one']);
      expect(res.text).to.match(/1 result\b/);
    });

    it('finds nothing from someone the viewer blocked, or who blocked the viewer', async () => {
      expect(titles((await search(visitor, { q: 'thistle' })).text)).to.deep.equal(['Thistle']);
      expect(titles((await search(steward, { q: 'thistle' })).text)).to.deep.equal(['Thistle']);
      expect(titles((await search(bob, { q: 'thistle' })).text)).to.deep.equal([]);
      expect(titles((await search(alice, { q: 'thistle' })).text)).to.deep.equal([]);
      // …and carol does not find alice's posts either.
      expect(titles((await search(carol, { q: 'gardening' })).text)).to.deep.equal(['Gardening together']);
    });

    it('filters by circle and by author', async () => {
      const inVoices = await search(visitor, { q: 'marigold OR gardening', circle: 'voices' });
      expect(titles(inVoices.text)).to.have.members(['Gardening together', 'Evening walks']);
      const inMeadow = await search(visitor, { q: 'marigold OR gardening', circle: 'meadow' });
      expect(titles(inMeadow.text)).to.deep.equal(['<b>Marigold</b> notes']);
      expect(inMeadow.text).to.match(/<option value="meadow" selected>/);
      const byAlice = await search(visitor, { q: 'gardening', author: '@alice' });
      expect(titles(byAlice.text)).to.deep.equal(['Evening walks']);
      const byNobody = await search(visitor, { q: 'gardening', author: 'nobody_here' });
      expect(titles(byNobody.text)).to.deep.equal([]);
      expect(byNobody.text).to.contain('Nothing matched those words by that person');
    });

    it('filters by days, in the viewer’s zone, the last day included', async () => {
      const walks = await postIdOf(hearth, 'I found gardening helps me on hard evenings.');
      await hearth.db.query("UPDATE posts SET created_at = '2026-03-10T12:00:00Z' WHERE id = $1", [walks]);
      const together = await postIdOf(hearth, 'Let us share what grows for us.');
      await hearth.db.query("UPDATE posts SET created_at = '2026-04-20T23:30:00Z' WHERE id = $1", [together]);
      expect(titles((await search(visitor, { q: 'gardening', from: '2026-03-01', to: '2026-03-31' })).text)).to.deep.equal(['Evening walks']);
      expect(titles((await search(visitor, { q: 'gardening', from: '2026-03-11' })).text)).to.deep.equal(['Gardening together']);
      expect(titles((await search(visitor, { q: 'gardening', to: '2026-04-20' })).text)).to.have.members(['Gardening together', 'Evening walks']);
      expect(titles((await search(visitor, { q: 'gardening', to: '2026-04-19' })).text)).to.deep.equal(['Evening walks']);
    });

    it('says clearly what is wrong with a search, and never fails', async () => {
      const badDay = await search(visitor, { q: 'gardening', from: '2026-02-30' });
      expect(badDay.status).to.equal(400);
      expect(badDay.text).to.contain('Please give a day as year-month-day, like 2026-03-14.');
      expect(badDay.text).to.contain('value="gardening"');
      const notADay = await search(visitor, { q: 'gardening', to: 'yesterday' });
      expect(notADay.status).to.equal(400);
      const backwards = await search(visitor, { q: 'gardening', from: '2026-05-01', to: '2026-04-01' });
      expect(backwards.status).to.equal(400);
      expect(backwards.text).to.contain('The last day comes before the first one');
      const badPage = await search(visitor, { q: 'gardening', page: 'two' });
      expect(badPage.status).to.equal(400);
      expect(badPage.text).to.contain('The page should be a whole number from 1.');
      const badAuthor = await search(visitor, { q: 'gardening', author: 'not a handle!' });
      expect(badAuthor.status).to.equal(400);
      expect(badAuthor.text).to.contain('Write a handle like alice');
      const tooLong = await search(visitor, { q: 'word '.repeat(60) });
      expect(tooLong.status).to.equal(400);
      const twice = await visitor.get('/search?q=a&q=b');
      expect(twice.status).to.equal(400);
      expect(twice.text).to.contain('Please give this once.');
      // Whatever the words, the query parser never fails.
      for (const q of ['"unclosed', '!!! & | :*', "'; DROP TABLE posts; --", '-', 'or or or', '<>']) {
        expect((await search(visitor, { q })).status, q).to.equal(200);
      }
    });

    it('finds an edited post by its new words, not its old ones', async () => {
      const id = await postIdOf(hearth, 'thistle seeds everywhere');
      const edit = await carol.submit(`/p/${id}/edit`, `/p/${id}/edit`, { title: 'Thistle', body: 'dandelion seeds everywhere', contentWarning: '' });
      expect(edit.status).to.equal(303);
      expect(titles((await search(visitor, { q: 'dandelion' })).text)).to.deep.equal(['Thistle']);
      expect(titles((await search(visitor, { q: 'thistle seeds' })).text)).to.deep.equal([]);
      expect(titles((await search(visitor, { q: 'thistle' })).text)).to.deep.equal(['Thistle']);
    });

    it('pages through many results, keeping the words and filters', async () => {
      await reply(alice, gardenPath, 'pebble number 1');
      await manyReplies(hearth, 'alice', gardenPath, Array.from({ length: 22 }, (_, i) => `pebble number ${i + 2}`));
      const first = await search(visitor, { q: 'pebble', circle: 'voices' });
      expect(first.text).to.match(/23 results/);
      expect(links(first.text)).to.have.length(20);
      const next = /<a href="([^"]+)" rel="next">/.exec(first.text)![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
      expect(next).to.equal('/search?q=pebble&circle=voices&page=2');
      const second = await visitor.get(next);
      expect(links(second.text)).to.have.length(3);
      expect(second.text).to.contain('<ol class="thread-list" start="21">');
      expect(new Set([...links(first.text), ...links(second.text)]).size).to.equal(23);
      const beyond = await search(visitor, { q: 'pebble', page: '3' });
      expect(beyond.status).to.equal(200);
      expect(beyond.text).to.contain('There are no more results on this page.');
    });

    it('links a reply on a later page of its thread to that page', async () => {
      await manyReplies(hearth, 'bob', gardenPath, Array.from({ length: 50 }, (_, i) => `filler ${i + 1}`));
      await reply(bob, gardenPath, 'a lonely heron');
      const res = await search(visitor, { q: 'heron' });
      expect(links(res.text)[0]).to.match(new RegExp(`^${gardenPath}\\?page=2#post-\\d+$`));
      const landing = await visitor.get(links(res.text)[0]!.split('#')[0]!);
      expect(landing.text).to.contain('a lonely heron');
    });

    it('keeps no search page in the visitors’ cache, and members’ searches private', async () => {
      await search(visitor, { q: 'gardening' });
      const again = await search(visitor, { q: 'gardening' });
      expect(again.headers['x-hearth-cache']).to.equal(undefined);
      const mine = await search(alice, { q: 'gardening' });
      expect(mine.headers['cache-control']).to.equal('private, no-store');
    });

    it('finds threads of circles followed elsewhere for members only, as their pages are', async () => {
      const [actor] = await hearth.db.query<{ id: number }>(
        "INSERT INTO remote_actors (iri, host, handle, display_name) VALUES ('https://far.example/u/wren', 'far.example', 'wren', 'Wren') RETURNING id",
      );
      const [group] = await hearth.db.query<{ id: number }>(
        "INSERT INTO remote_circles (iri, host, handle, name, inbox) VALUES ('https://far.example/c/birds', 'far.example', 'birds', 'Birds elsewhere', 'https://far.example/inbox') RETURNING id",
      );
      const [thread] = await hearth.db.query<{ id: number }>(
        "INSERT INTO threads (remote_circle_id, title, remote_author_id) VALUES ($1, 'Kestrel spotted', $2) RETURNING id",
        [group!.id, actor!.id],
      );
      await hearth.db.query(
        "INSERT INTO posts (thread_id, remote_author_id, is_opening, source, html, ap_id) VALUES ($1, $2, true, '', '<p>A kestrel over the field</p>', 'https://far.example/n/1')",
        [thread!.id, actor!.id],
      );
      expect(titles((await search(visitor, { q: 'kestrel' })).text)).to.deep.equal([]);
      const seen = await search(bob, { q: 'kestrel' });
      expect(titles(seen.text)).to.deep.equal(['Kestrel spotted']);
      expect(links(seen.text)[0]).to.equal(`/f/${group!.id}/t/${thread!.id}#post-${(await hearth.db.query<{ id: number }>("SELECT id FROM posts WHERE ap_id = 'https://far.example/n/1'"))[0]!.id}`);
      expect(seen.text).to.contain('Birds elsewhere');
      expect(titles((await search(bob, { q: 'kestrel', author: 'wren@far.example' })).text)).to.deep.equal(['Kestrel spotted']);
    });

    it('builds its index with the one configuration the queries use', async () => {
      const rows = await hearth.db.query<{ expr: string }>(
        `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr FROM pg_attrdef d
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
         WHERE a.attname IN ('search_title', 'search_body') AND d.adrelid IN ('posts'::regclass, 'threads'::regclass)`,
      );
      expect(rows).to.have.length(2);
      for (const r of rows) expect(r.expr).to.contain(`'${SEARCH_CONFIG}'::regconfig`);
    });

    it('shows the empty form without searching', async () => {
      const res = await visitor.get('/search');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<label for="q">Words to look for</label>');
      expect(res.text).not.to.contain('results-title');
    });
  });

  describe('rate limit', () => {
    let hearth: Hearth;
    before(async () => {
      hearth = await freshHearth({ rateLimits: { search: { windowMs: 60_000, limit: 2 } } });
      await withSteward(hearth);
    });
    after(() => hearth.close());

    it('asks for a pause after many searches, but not for opening the form', async () => {
      const v = new Visitor(hearth);
      for (let i = 0; i < 3; i++) expect((await v.get('/search')).status).to.equal(200);
      expect((await search(v, { q: 'one' })).status).to.equal(200);
      expect((await search(v, { q: 'two' })).status).to.equal(200);
      const paused = await search(v, { q: 'three' });
      expect(paused.status).to.equal(429);
      expect(paused.text).to.contain('searching');
    });
  });
});
