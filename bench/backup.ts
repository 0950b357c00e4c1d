/**
 * npm run bench:backup: the size of a backup and how long backing up and
 * restoring take, for a test data set (100 members, 5 circles, 500 threads,
 * 2,000 replies). On a fresh PGlite, or on DATABASE_URL (emptied: its name
 * must contain test or bench). On PGlite, with BENCH_MOVE_TO set to a
 * PostgreSQL address (its database's name must contain test or bench; it is
 * emptied), also how long `hearth move-to-postgres` takes for that data set.
 * Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHearth } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { backupToFile, copyDatabase, restoreFromFile } from '../src/storage/backup.js';
import { openPgDatabase } from '../src/storage/pg-database.js';
import { migrate } from '../src/storage/migrate.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';
import { openBenchDatabase } from './bench-database.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';

const GENEROUS = { windowMs: 60_000, limit: 1_000_000 };

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
  const members = [steward!];
  for (let i = 1; i < 100; i++) members.push(await services.members.create({ handle: `member${i}`, password: 'a long enough password' }, 'member'));
  const body = 'Some words about a hard week, with *emphasis* and a [link](https://example.org).\n\n'.repeat(3);
  const seeding = performance.now();
  for (let c = 0; c < 5; c++) {
    await services.circles.create(steward!, { slug: `circle${c}`, name: `Circle ${c}` });
    for (let t = 0; t < 100; t++) {
      const { thread } = await services.threads.startThread(members[(c * 100 + t) % 100], `circle${c}`, { title: `Thread ${t}`, body });
      for (let r = 0; r < 4; r++) await services.threads.reply(members[(t + r + 1) % 100], thread.id, { body: `Reply ${r}. ${body}` });
    }
  }
  console.log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-backup-'));
  try {
    const file = path.join(dir, 'backup.jsonl.gz');
    let started = performance.now();
    const made = await backupToFile(db, file);
    const backupSeconds = (performance.now() - started) / 1000;
    const target = await openPgliteDatabase(path.join(dir, 'restored'));
    started = performance.now();
    await restoreFromFile(target, file);
    const restoreSeconds = (performance.now() - started) / 1000;
    await target.close();
    console.log(`backup of ${db.kind}: ${made.rows} rows in ${made.tables} tables, ${(made.bytes / 1024).toFixed(0)} KiB, written in ${backupSeconds.toFixed(1)} s`);
    console.log(`restore into a fresh embedded database: ${restoreSeconds.toFixed(1)} s (building the schema included)`);
    const moveTo = process.env.BENCH_MOVE_TO;
    if (db.kind === 'pglite' && moveTo) {
      if (!/test|bench/.test(new URL(moveTo).pathname)) throw new Error('BENCH_MOVE_TO must name a database whose name contains test or bench: it is emptied.');
      const postgres = openPgDatabase(moveTo, { max: 1 });
      try {
        started = performance.now();
        const moved = await copyDatabase(db, postgres, { force: true });
        console.log(`move to PostgreSQL (hearth move-to-postgres, one transaction): ${moved.rows} rows in ${moved.tables} tables in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await postgres.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await hearth.close();
    await db.close();
  }
}

await main();
