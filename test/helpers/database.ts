import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/storage/database.js';
import { openPgDatabase } from '../../src/storage/pg-database.js';
import { openPgliteDatabase } from '../../src/storage/pglite-database.js';
import { migrate } from '../../src/storage/migrate.js';

/**
 * One database per test run: PGlite in a temporary folder by default, or the
 * PostgreSQL server named by DATABASE_URL. Tests call resetDatabase() to start
 * from empty tables.
 */
let shared: Promise<Database> | undefined;
let tempDir: string | undefined;

/** Refuses to point the test suite at a database that is not obviously for tests. */
export function assertTestDatabaseUrl(url: string): void {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test".`);
  }
}

async function open(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  let db: Database;
  if (url) {
    assertTestDatabaseUrl(url);
    db = openPgDatabase(url, { max: 5 });
    // Start from an empty schema so every run applies every migration.
    await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  } else {
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-test-'));
    db = await openPgliteDatabase(tempDir);
  }
  await migrate(db);
  return db;
}

export function testDatabase(): Promise<Database> {
  shared ??= open();
  return shared;
}

/** Empties every table but the migration record; identities restart at 1. */
export async function resetDatabase(db: Database): Promise<void> {
  const tables = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
  );
  if (tables.length === 0) return;
  const list = tables.map((t) => `"${t.tablename}"`).join(', ');
  await db.exec(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
}

export async function closeTestDatabase(): Promise<void> {
  if (!shared) return;
  const db = await shared;
  shared = undefined;
  await db.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
