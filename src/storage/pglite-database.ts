import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { DatabaseUnavailableError } from '../domain/errors.js';
import type { Database, Transaction, TransactionOptions } from './database.js';
import { lockDataDir } from './data-dir-lock.js';
import { PGLITE_OPTIONS } from './pglite-settings.js';
import { ConnectionTurns } from './connection-turns.js';
import { isBackgroundWork } from './work-priority.js';

const CREATE_SCRIPT = fileURLToPath(new URL('./pglite-create.js', import.meta.url));

/** True when `dataDir` holds no database yet (PGlite decides the same way: no PG_VERSION, run initdb). */
export function needsCreating(dataDir: string): boolean {
  return !existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * Creates the database's files in `dataDir` in a short-lived process of its
 * own (`pglite-create.ts`): PGlite's initdb grows the WebAssembly memory of
 * the process that runs it to several hundred MiB, which is never given back.
 * Resolves with that process's id.
 */
export async function createPgliteDataDir(dataDir: string): Promise<number> {
  const child = spawn(process.execPath, [CREATE_SCRIPT, dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0 || needsCreating(dataDir)) {
    throw new DatabaseUnavailableError(new Error(`Creating the embedded database in ${dataDir} failed (exit code ${code})`));
  }
  return child.pid!;
}

/**
 * Embedded PostgreSQL (PGlite, WASM) keeping its files in `dataDir`.
 * PGlite has one connection: it queues queries, and a transaction holds it
 * exclusively until it ends. Who uses it next is decided here
 * (`ConnectionTurns`): statements and transactions made for a request go
 * before waiting background work (`asBackgroundWork`: the outbox, inbox and
 * delivery workers, housekeeping), so a member's reply does not queue behind
 * the deliveries of the previous one.
 */
export async function openPgliteDatabase(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let db: PGlite;
  try {
    // A new folder is created by another process; this one opens it as it would after a restart.
    if (dataDir && needsCreating(dataDir)) await createPgliteDataDir(dataDir);
    db = new PGlite(dataDir, PGLITE_OPTIONS);
    await db.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }

  const turns = new ConnectionTurns();
  const turn = <T>(fn: () => Promise<T>): Promise<T> => turns.run(isBackgroundWork(), fn);
  // Moved before and after anything that may write (Database.writes).
  let writes = 0;
  const writing = async <T>(fn: () => Promise<T>): Promise<T> => {
    writes++;
    try {
      return await fn();
    } finally {
      writes++;
    }
  };
  const readOnly = (sql: string) => /^\s*SELECT\b/i.test(sql) && !/\bFOR\s+(UPDATE|SHARE|NO KEY UPDATE|KEY SHARE)\b/i.test(sql);

  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      const run = () => turn(() => db.query<T>(sql, params as unknown[] | undefined));
      const result = await (readOnly(sql) ? run() : writing(run));
      return result.rows;
    },
    writes: () => writes,
    transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return writing(() => turn(() => db.transaction(async (tx) => {
        // PGlite has one connection and no timeouts; the isolation level still gives a consistent snapshot.
        if (options.isolation) await tx.exec(`SET TRANSACTION ISOLATION LEVEL ${options.isolation}`);
        if (options.readOnly) await tx.exec('SET TRANSACTION READ ONLY');
        return fn({
          async query<R>(sql: string, params?: readonly unknown[]) {
            const result = await tx.query<R>(sql, params as unknown[] | undefined);
            return result.rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        });
      })));
    },
    async exec(sql) {
      await writing(() => turn(() => db.exec(sql)));
    },
    poolStats: () => ({ total: 1, idle: 0, waiting: 0 }),
    async listen(channel, handler) {
      // In-process: PGlite delivers notifications to listeners of the same instance (one process per database).
      return db.listen(channel, handler);
    },
    async notify(channel, payload) {
      await turn(() => db.query('SELECT pg_notify($1, $2)', [channel, payload]));
    },
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
