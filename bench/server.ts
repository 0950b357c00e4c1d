/**
 * The benchmark's server process. The first one (no BENCH_JOIN) seeds a
 * circle with 50 threads and a thread with 50 posts (its opening post and 49
 * replies: one page), logs a member in, then serves Hearth and a bare Express
 * route side by side. A second one (BENCH_JOIN=1, PostgreSQL only) serves the
 * same database without seeding: "two processes". It reports its ports on
 * stdout as one JSON line and its memory over IPC.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHearth } from '../src/app.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { migrate } from '../src/storage/migrate.js';
import { openPgDatabase } from '../src/storage/pg-database.js';
import { openBenchDatabase } from './bench-database.js';

const GENEROUS = { windowMs: 60_000, limit: 1_000_000 };
const PASSWORD = 'a long enough password';

async function listen(app: express.Express): Promise<number> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** Logs in through HTTP, as a browser does; returns the session cookie. */
async function logIn(origin: string, handle: string): Promise<string> {
  const page = await fetch(`${origin}/login`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ handle, password: PASSWORD, _csrf: csrf }).toString(),
  });
  if (res.status !== 303) throw new Error(`bench login failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function main(): Promise<void> {
  const joining = process.env.BENCH_JOIN === '1';
  const db = joining ? openPgDatabase(process.env.DATABASE_URL!) : await openBenchDatabase();
  if (!joining) await migrate(db);
  const hearth = await createHearth({
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }),
    db,
    passwordHasher: argon2Hasher('light'),
    rateLimits: sameLimitEverywhere(GENEROUS),
  });
  let threadPath = '';
  if (!joining) {
    const { services } = hearth;
    const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: PASSWORD } });
    await services.circles.create(steward!, { slug: 'busy', name: 'Busy circle' });
    await services.circles.create(steward!, { slug: 'long', name: 'Long thread' });
    const body = 'Some words about a hard week, with *emphasis* and a [link](https://example.org).\n\n'.repeat(3);
    for (let i = 0; i < 50; i++) await services.threads.startThread(steward!, 'busy', { title: `Thread ${i}`, body });
    const { thread } = await services.threads.startThread(steward!, 'long', { title: 'Fifty posts', body });
    for (let i = 0; i < 49; i++) await services.threads.reply(steward!, thread.id, { body: `Reply ${i}. ${body}` });
    // A member who reads with muted words, as many do.
    const alice = await services.members.create({ handle: 'alice', password: PASSWORD }, 'member');
    await services.members.updateSettings(alice, { cwDisplay: 'folded', mutedWords: 'spoiler\nnumbers', profileListed: true, federatePosts: true, discoverable: false, indexable: false });
    threadPath = `/c/long/t/${thread.id}`;
  }

  const bare = express();
  bare.get('/', (_req, res) => res.send('hello'));
  const hearthPort = await listen(hearth.app);
  const origin = `http://127.0.0.1:${hearthPort}`;
  const ports = {
    hearth: hearthPort,
    bare: await listen(bare),
    threadPath,
    database: db.kind,
    memberCookie: joining ? '' : await logIn(origin, 'alice'),
  };
  process.stdout.write(`${JSON.stringify(ports)}\n`);
  process.on('message', (message) => {
    if (message === 'memory') process.send?.({ rss: process.memoryUsage().rss });
    if (message === 'stop') void hearth.close().then(() => db.close()).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
