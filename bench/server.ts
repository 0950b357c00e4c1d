/**
 * The benchmark's server process: seeds a circle with 50 threads and a thread
 * with 50 replies, then serves Hearth and a bare Express route side by side.
 * It reports its ports on stdout as one JSON line and its memory over IPC.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHearth } from '../src/app.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { migrate } from '../src/storage/migrate.js';
import { openBenchDatabase } from './bench-database.js';

const GENEROUS = { windowMs: 60_000, limit: 1_000_000 };

async function listen(app: express.Express): Promise<number> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  await migrate(db);
  const hearth = await createHearth({
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }),
    db,
    passwordHasher: argon2Hasher('light'),
    rateLimits: sameLimitEverywhere(GENEROUS),
  });
  const { services } = hearth;
  const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: 'a long enough password' } });
  await services.circles.create(steward!, { slug: 'busy', name: 'Busy circle' });
  await services.circles.create(steward!, { slug: 'long', name: 'Long thread' });
  const body = 'Some words about a hard week, with *emphasis* and a [link](https://example.org).\n\n'.repeat(3);
  for (let i = 0; i < 50; i++) await services.threads.startThread(steward!, 'busy', { title: `Thread ${i}`, body });
  const { thread } = await services.threads.startThread(steward!, 'long', { title: 'Fifty replies', body });
  for (let i = 0; i < 50; i++) await services.threads.reply(steward!, thread.id, { body: `Reply ${i}. ${body}` });

  const bare = express();
  bare.get('/', (_req, res) => res.send('hello'));
  const ports = { hearth: await listen(hearth.app), bare: await listen(bare), threadPath: `/c/long/t/${thread.id}`, database: db.kind };
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
