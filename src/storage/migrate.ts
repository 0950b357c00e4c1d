import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NewerSchemaError } from '../domain/errors.js';
import { migrationsDir } from '../paths.js';
import type { Database, Queryable, Transaction } from './database.js';

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Any number will do, as long as every Hearth process uses the same one. */
const MIGRATION_LOCK = 4_272_001;

export function loadMigrations(dir: string = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => FILE_PATTERN.test(file))
    .sort()
    .map((file) => {
      const match = FILE_PATTERN.exec(file)!;
      return { version: match[1]!, name: match[2]!, sql: readFileSync(path.join(dir, file), 'utf8') };
    });
}

/** The versions recorded in the database (none when it has never been migrated). */
export async function appliedVersions(q: Queryable): Promise<string[]> {
  const [table] = await q.query<{ t: string | null }>("SELECT to_regclass('public.schema_migrations')::text AS t");
  if (!table?.t) return [];
  return (await q.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
}

/** Refuses a database that a newer Hearth has migrated (a version this one does not know, after its newest). */
export function assertNotNewer(applied: readonly string[], migrations: readonly Migration[]): void {
  const newestKnown = migrations.at(-1)?.version ?? '0000';
  const unknown = applied.filter((v) => v > newestKnown && !migrations.some((m) => m.version === v));
  if (unknown.length > 0) throw new NewerSchemaError(unknown.at(-1)!, newestKnown);
}

/**
 * Applies, inside `tx`, every migration not yet recorded (up to `upTo` when
 * given), in order. Takes the advisory lock that keeps several Hearth
 * processes starting at once from racing (held until the transaction ends).
 */
export async function migrateIn(tx: Transaction, migrations: Migration[] = loadMigrations(), upTo?: string): Promise<string[]> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const done = await appliedVersions(tx);
  assertNotNewer(done, migrations);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.includes(migration.version)) continue;
    if (upTo !== undefined && migration.version > upTo) break;
    await tx.exec(migration.sql);
    await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    applied.push(`${migration.version}_${migration.name}`);
  }
  return applied;
}

/**
 * Applies every migration not yet recorded, in order, in one transaction:
 * either the schema moves to the newest version or nothing changes. A
 * database migrated by a newer Hearth is refused (NewerSchemaError).
 */
export async function migrate(db: Database, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  return db.transaction((tx) => migrateIn(tx, migrations), { unlimited: true });
}

/** What `migrate` would apply, without applying anything (`hearth migrate --dry-run`). */
export async function pendingMigrations(db: Database, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  const done = await appliedVersions(db);
  assertNotNewer(done, migrations);
  return migrations.filter((m) => !done.includes(m.version)).map((m) => `${m.version}_${m.name}`);
}
