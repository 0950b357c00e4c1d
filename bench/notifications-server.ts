/**
 * The notifications benchmark's Hearth process (bench/notifications.ts forks
 * it). Seeds two threads, one watched by nobody and one watched on "every
 * post" by 500 members, and a reading member with 300 notifications (60
 * unread); serves Hearth on loopback. On "replies" it times replies to the two
 * threads, alternating; on "count:off"/"count:on" it takes the navigation's
 * unread count out of (or back into) every page.
 */
import type { AddressInfo } from 'node:net';
import { createHearth } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { migrate } from '../src/storage/migrate.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';
import { openBenchDatabase } from './bench-database.js';
import { BENCH_PASSWORD, logIn } from './seed.js';

const PASSWORD = BENCH_PASSWORD;
const WATCHERS = 500;
const REPLIES = Number(process.env.BENCH_REPLIES ?? 60);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;


async function main(): Promise<void> {
  const db = await openBenchDatabase();
  await migrate(db);
  const hearth = await createHearth({
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }),
    db,
    passwordHasher: argon2Hasher('light'),
    rateLimits: sameLimitEverywhere({ windowMs: 60_000, limit: 1_000_000 }),
  });
  const { services } = hearth;
  const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: PASSWORD } });
  await services.circles.create(steward!, { slug: 'busy', name: 'Busy circle' });
  const quiet = (await services.threads.startThread(steward!, 'busy', { title: 'Watched by nobody', body: 'Hello' })).thread;
  const watched = (await services.threads.startThread(steward!, 'busy', { title: 'Watched by 500', body: 'Hello' })).thread;
  // 500 members watching every post of one thread (rows as the watch form writes them).
  const hash = (await db.query<{ password_hash: string }>('SELECT password_hash FROM members WHERE id = $1', [steward!.id]))[0]!.password_hash;
  await db.query(`INSERT INTO handles (name, kind) SELECT 'w' || i, 'member' FROM generate_series(1, $1::int) AS i`, [WATCHERS]);
  await db.query(
    `INSERT INTO members (handle, password_hash) SELECT 'w' || i, $1 FROM generate_series(1, $2::int) AS i`,
    [hash, WATCHERS],
  );
  await db.query(`INSERT INTO thread_watches (member_id, thread_id, level, updated_at) SELECT id, $1, 'every', now() FROM members WHERE handle LIKE 'w%'`, [watched.id]);
  // The reading member: 300 notifications, 60 of them unread.
  const alice = await services.members.create({ handle: 'alice', password: PASSWORD }, 'member');
  await db.query(
    `INSERT INTO notifications (member_id, kind, link, created_at, visible_from, read_at)
     SELECT $1, 'reply', '/c/busy', now() - i * interval '1 minute', now() - i * interval '1 minute', CASE WHEN i > 60 THEN now() END
     FROM generate_series(1, 300) AS i`,
    [alice.id],
  );
  await hearth.federation.settled();

  const server = hearth.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(`${JSON.stringify({ origin, database: db.kind, memberCookie: await logIn(origin, 'alice') })}\n`);

  const counting = services.notifications.unreadCount.bind(services.notifications);
  process.on('message', (message) => {
    void (async () => {
      if (message === 'count:off') services.notifications.unreadCount = () => Promise.resolve(0);
      if (message === 'count:on') services.notifications.unreadCount = counting;
      if (message === 'count:off' || message === 'count:on') process.send?.({ done: true });
      if (message === 'replies') {
        // What a member's POST awaits (ThreadService.reply: checks, rendering, the transaction
        // with its outbox row, the emit). The notifications job (500 rows for the watched
        // thread) runs meanwhile in the outbox worker of this process, sharing its CPU.
        for (let i = 0; i < 10; i++) await services.threads.reply(steward!, quiet.id, { body: `Warm-up ${i}.` });
        await hearth.federation.settled();
        const times: Record<'none' | 'watched', number[]> = { none: [], watched: [] };
        const jobStart = performance.now();
        for (let i = 0; i < REPLIES; i++) {
          for (const [key, thread] of [['none', quiet], ['watched', watched]] as const) {
            const t0 = performance.now();
            await services.threads.reply(steward!, thread.id, { body: `Reply ${i}: some words about a hard week.` });
            times[key].push(performance.now() - t0);
          }
        }
        await hearth.federation.settled();
        const total = performance.now() - jobStart;
        const written = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE kind = 'post.new'"))[0]!.n;
        const stats = (xs: number[]) => {
          const s = [...xs].sort((a, b) => a - b);
          return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
        };
        process.send?.({ replies: { none: stats(times.none), watched: stats(times.watched), n: REPLIES, written, totalMs: total } });
      }
      if (message === 'stop') {
        server.closeAllConnections();
        server.close();
        await hearth.close();
        await db.close();
        process.exit(0);
      }
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
