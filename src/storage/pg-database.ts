import pg from 'pg';
import type { Database, Transaction } from './database.js';

// int8 (count(*), bigint ids) as JavaScript numbers, as PGlite returns them,
// so that the same queries give the same row shapes on both adapters.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value);
    // numeric stays a string on both adapters
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function openPgDatabase(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);

  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<T[]> => {
    const result = await client.query(sql, params as unknown[] | undefined);
    return result.rows as T[];
  };

  return {
    kind: 'pg',
    query: (sql, params) => run(pool, sql, params),
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
