/**
 * npm run bench: search over 100,000 posts (issue 10). The posts are made in
 * bulk with SQL (generate_series), not through HTTP: 2,000 threads in ten
 * circles, each post about 40 words drawn from a 5,000-word vocabulary with a
 * few words far more common than the rest (as in real writing). Then, one
 * request at a time (so the latency is the page's own, not a queue's), a
 * visitor's two-word searches (rotating through several, results not cached)
 * and a thread page rendered afresh, in the same run. Prints figures;
 * asserts nothing. Target: p99 of the two-word search below 50 ms on PostgreSQL.
 */
import type { AddressInfo } from 'node:net';
import { createHearth } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { migrate } from '../src/storage/migrate.js';
import type { Database } from '../src/storage/database.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';
import { openBenchDatabase } from './bench-database.js';

const POSTS = Number(process.env.BENCH_SEARCH_POSTS ?? 100_000);
const THREADS = 2_000;
const REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 400);
const VOCABULARY = 5_000;

/** Everyday words first (the common end of the vocabulary), then made-up rarer ones. */
const WORDS = `the and to of a i in it was that my me for with have but on this so not just feel like about
what be when all can help week day time today had out get been sleep hard people know really going
one think back some work still friends family talk night morning better again tired voices quiet walk
garden kitchen music reading painting breathing group circle meeting share listen hope calm worry
anxious rest body doctor tea rain window dog cat bus train letter phone friend sister brother mother
father home room bed dream river tree bird light dark cold warm spring summer autumn winter`.split(/\s+/);

/** Two-word searches: one common word and one less common, as people type them. */
const QUERIES = ['hard week', 'sleep morning', 'garden rain', 'voices quiet', 'calm breathing', 'family letter', 'river walk', 'music night'];

async function seed(db: Database): Promise<string> {
  const vocabulary = [...WORDS, ...Array.from({ length: VOCABULARY - WORDS.length }, (_, i) => `word${i}`)];
  // A bulk load, as a restore would do it: the index gathers new entries in its pending list meanwhile
  // (much faster than one at a time); VACUUM merges them, and the index is set back as migration 0027 has it.
  await db.exec('ALTER INDEX posts_search_body SET (fastupdate = on)');
  await db.transaction(
    async (tx) => {
      const circles = await tx.query<{ id: number }>('SELECT id FROM circles ORDER BY id');
      const authors = await tx.query<{ id: number }>('SELECT id FROM members ORDER BY id');
      // Threads spread over the circles and the last year.
      await tx.query(
        `INSERT INTO threads (circle_id, title, author_id, created_at, last_activity_at)
         SELECT ($1::int[])[1 + g % array_length($1::int[], 1)],
                (SELECT string_agg(($3::text[])[1 + floor(power(random(), 3) * ${VOCABULARY})::int], ' ') FROM generate_series(1, 5) k WHERE g > 0),
                ($2::int[])[1 + g % array_length($2::int[], 1)],
                now() - (g || ' minutes')::interval * 200, now()
         FROM generate_series(1, ${THREADS}) g`,
        [circles.map((c) => c.id), authors.map((a) => a.id), vocabulary],
      );
      // Posts: the first of each thread opens it; about 40 words each.
      await tx.query(
        `INSERT INTO posts (thread_id, author_id, is_opening, source, html, created_at)
         SELECT t.id, t.author_id, g <= ${THREADS}, body, '<p>' || body || '</p>', t.created_at + (g || ' seconds')::interval
         FROM generate_series(1, ${POSTS}) g
         JOIN threads t ON t.id = (SELECT min(id) FROM threads) + (g - 1) % ${THREADS}
         CROSS JOIN LATERAL (SELECT string_agg(($1::text[])[1 + floor(power(random(), 3) * ${VOCABULARY})::int], ' ') AS body
           FROM generate_series(1, 30 + g % 20) k WHERE g > 0) b`,
        [vocabulary],
      );
      await tx.query(`UPDATE threads t SET reply_count = (SELECT count(*) - 1 FROM posts p WHERE p.thread_id = t.id)`);
    },
    { unlimited: true },
  );
  // As autovacuum would soon after such a burst of writes: fresh statistics and a tidy heap.
  await db.exec('VACUUM ANALYZE');
  await db.exec('ALTER INDEX posts_search_body SET (fastupdate = off)');
  const [busiest] = await db.query<{ path: string }>(
    `SELECT '/c/' || c.slug || '/t/' || t.id AS path FROM threads t JOIN circles c ON c.id = t.circle_id
     WHERE c.visibility = 'public' ORDER BY t.reply_count DESC, t.id LIMIT 1`,
  );
  return busiest!.path;
}

interface Latencies {
  p50: number;
  p99: number;
  mean: number;
}

function summarise(ms: number[]): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: ms.reduce((s, x) => s + x, 0) / ms.length };
}

/** One request at a time: each page's own latency, in milliseconds. */
async function timeRequests(urls: () => string, headers: Record<string, string>): Promise<Latencies> {
  for (let i = 0; i < 20; i++) await (await fetch(urls(), { headers })).text(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(urls(), { headers });
    await res.text();
    if (res.status !== 200) throw new Error(`bench request failed: ${res.status}`);
    ms.push(performance.now() - started);
  }
  return summarise(ms);
}

export async function searchBenchmark(): Promise<string[]> {
  const db = await openBenchDatabase();
  await migrate(db);
  const hearth = await createHearth({
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }),
    db,
    passwordHasher: argon2Hasher('light'),
    rateLimits: sameLimitEverywhere({ windowMs: 60_000, limit: 1_000_000 }),
  });
  try {
    const { services } = hearth;
    const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: 'a long enough password' } });
    for (let i = 0; i < 10; i++) await services.circles.create(steward!, { slug: `circle${i}`, name: `Circle ${i}`, visibility: i < 8 ? 'public' : 'members' });
    for (let i = 0; i < 20; i++) await services.members.create({ handle: `author${i}`, password: 'a long enough password' }, 'member');
    const seeding = performance.now();
    const threadPath = await seed(db);
    const seeded = (performance.now() - seeding) / 1000;

    const server = hearth.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const counts = await Promise.all(
      QUERIES.map(async (q) => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM posts WHERE search_body @@ websearch_to_tsquery('simple', $1)", [q]))[0]!.n),
    );
    let next = 0;
    const search = await timeRequests(() => `${origin}/search?q=${encodeURIComponent(QUERIES[next++ % QUERIES.length]!)}`, {});
    // The thread page as a visitor's first view of it (rendered afresh, not from the page cache), like every search.
    const thread = await timeRequests(() => `${origin}${threadPath}`, { 'Cache-Control': 'no-cache' });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));

    const line = (name: string, l: Latencies) =>
      `${name.padEnd(58)} p50 ${l.p50.toFixed(1).padStart(6)} ms   p99 ${l.p99.toFixed(1).padStart(6)} ms   mean ${l.mean.toFixed(1).padStart(6)} ms`;
    return [
      `Search over ${POSTS.toLocaleString('en')} posts on ${db.kind} (seeded with SQL in ${seeded.toFixed(1)} s), ${REQUESTS} requests each, one at a time`,
      `two-word queries: ${QUERIES.map((q, i) => `"${q}" ${counts[i]} posts`).join(', ')}`,
      line('visitor: /search, two words (rotating, not cached)', search),
      line('visitor: thread page, 50 posts (rendered afresh)', thread),
      `search / thread page, p99: ${(search.p99 / thread.p99).toFixed(2)}×, mean: ${(search.mean / thread.mean).toFixed(2)}×   target: search p99 below 50 ms on PostgreSQL`,
    ];
  } finally {
    await hearth.close();
    await db.close();
  }
}

// `node dist/bench/search.js` runs this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  searchBenchmark()
    .then((lines) => {
      for (const l of lines) console.log(l);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
