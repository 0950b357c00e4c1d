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
import { logIn, seedBenchContent } from './seed.js';
import type { Database, Transaction } from '../src/storage/database.js';

/** Every SQL statement this process sends, counted (and, with BENCH_SQL_LOG, kept) so run.ts can ask how many a page took. */
const sql = { count: 0, log: [] as string[] };
function counted(db: Database): Database {
  const note = (text: string) => {
    sql.count++;
    if (process.env.BENCH_SQL_LOG) sql.log.push(text.replace(/\s+/g, ' ').slice(0, 160));
  };
  const tx = (t: Transaction): Transaction => ({
    query: (text, params) => (note(text), t.query(text, params)),
    exec: (text) => (note(text), t.exec(text)),
  });
  return Object.assign(Object.create(db) as Database, {
    query: (text: string, params?: readonly unknown[]) => (note(text), db.query(text, params)),
    // BEGIN and COMMIT are statements too.
    transaction: <T>(fn: (t: Transaction) => Promise<T>, options?: Parameters<Database['transaction']>[1]) => ((sql.count += 2), db.transaction((t) => fn(tx(t)), options)),
  });
}

const GENEROUS = { windowMs: 60_000, limit: 1_000_000 };

async function listen(app: express.Express): Promise<number> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const joining = process.env.BENCH_JOIN === '1';
  const db = counted(joining ? openPgDatabase(process.env.DATABASE_URL!) : await openBenchDatabase());
  if (!joining) await migrate(db);
  const hearth = await createHearth({
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }),
    db,
    passwordHasher: argon2Hasher('light'),
    rateLimits: sameLimitEverywhere(GENEROUS),
  });
  let threadPath = '';
  if (!joining) threadPath = await seedBenchContent(hearth);

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
    if (message === 'sql') {
      process.send?.({ count: sql.count, log: sql.log });
      sql.count = 0;
      sql.log = [];
    }
    if (message === 'stop') void hearth.close().then(() => db.close()).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
