import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/storage/database.js';
import { openPgDatabase } from '../src/storage/pg-database.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';

/** The benchmark's database: DATABASE_URL (emptied: its name must say test or bench), else a fresh PGlite. */
export async function openBenchDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = new URL(url).pathname.slice(1);
    if (!/test|bench/i.test(name)) throw new Error(`The benchmark empties its database: "${name}" must contain "test" or "bench".`);
    const db = openPgDatabase(url);
    await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    return db;
  }
  return openPgliteDatabase(mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-')));
}
