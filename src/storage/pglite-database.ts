import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Transaction, TransactionOptions } from './database.js';
import { lockDataDir } from './data-dir-lock.js';
import { ConnectionTurns } from './connection-turns.js';
import { isBackgroundWork } from './work-priority.js';

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
    db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }

  const turns = new ConnectionTurns();
  const turn = <T>(fn: () => Promise<T>): Promise<T> => turns.run(isBackgroundWork(), fn);

  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await turn(() => db.query<T>(sql, params as unknown[] | undefined));
      return result.rows;
    },
    transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return turn(() => db.transaction(async (tx) => {
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
      }));
    },
    async exec(sql) {
      await turn(() => db.exec(sql));
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
