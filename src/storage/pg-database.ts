import pg from 'pg';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from '../config.js';
import { DatabaseUnavailableError } from '../domain/errors.js';
import { pgErrorCode, type Database, type Transaction, type TransactionOptions } from './database.js';

// int8 (count(*), bigint ids) as JavaScript numbers, as PGlite returns them,
// so that the same queries give the same row shapes on both adapters.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value);
    // numeric stays a string on both adapters
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** node-postgres' own messages when it gives up waiting (they carry no code). */
const CLIENT_GAVE_UP = /^(Query read timeout|timeout exceeded when trying to connect|Connection terminated)/;
/** Network errors, and PostgreSQL's: connection exceptions (08), operator intervention (57: statement timeout, shutdown), idle transaction ended (25P03). */
const UNAVAILABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|08...|57...|25P03)$/;

/** True when an error means the database did not answer, not that a statement was wrong. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const code = pgErrorCode(error);
  if (code && UNAVAILABLE_CODES.test(code)) return true;
  return error instanceof Error && CLIENT_GAVE_UP.test(error.message);
}

function translate(error: unknown): unknown {
  return isUnavailable(error) && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error) : error;
}

/**
 * Statements PostgreSQL keeps planned on each connection (named prepared
 * statements), so that a page's queries are not planned again on every
 * request: planning Hearth's joins costs more than running them. A text is
 * prepared from its second use, and only so many texts are (statements built
 * with a varying number of placeholders must not grow every connection
 * without end). Only statements with parameters: a script of several
 * statements cannot be prepared.
 */
export class PreparedNames {
  private readonly uses = new Map<string, number>();
  private readonly names = new Map<string, string>();

  constructor(private readonly max = 300) {}

  nameFor(sql: string): string | undefined {
    const named = this.names.get(sql);
    if (named !== undefined || this.names.size >= this.max) return named;
    const uses = (this.uses.get(sql) ?? 0) + 1;
    if (uses < 2) {
      // Texts seen only once are forgotten now and then (the map stays small).
      if (this.uses.size >= 10 * this.max) this.uses.clear();
      this.uses.set(sql, uses);
      return undefined;
    }
    this.uses.delete(sql);
    const name = `hearth_${this.names.size + 1}`;
    this.names.set(sql, name);
    return name;
  }
}

/** A query_timeout for scripts and long transactions (migrations, backups): effectively none. */
const NO_CLIENT_TIMEOUT = 2 ** 31 - 1;

export interface PgOptions {
  max?: number;
  timeouts?: Partial<DatabaseTimeouts>;
}

export function openPgDatabase(connectionString: string, options: PgOptions = {}): Database {
  const t = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: t.connectTimeoutMs,
    // The server ends statements that run too long; Hearth gives up a second
    // later when the server does not answer at all (a stalled network).
    statement_timeout: t.statementTimeoutMs,
    query_timeout: t.statementTimeoutMs + 1_000,
    idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);

  const prepared = new PreparedNames();
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[], unlimited = false): Promise<T[]> => {
    try {
      const config: pg.QueryConfig & { query_timeout?: number } = { text: sql, values: params as unknown[] | undefined };
      const name = params && params.length > 0 ? prepared.nameFor(sql) : undefined;
      if (name) config.name = name;
      if (unlimited) config.query_timeout = NO_CLIENT_TIMEOUT;
      const result = await client.query(config);
      return result.rows as T[];
    } catch (error) {
      throw translate(error);
    }
  };

  const listener = new PgListener(connectionString, t.connectTimeoutMs);

  return {
    kind: 'pg',
    query: (sql, params) => run(pool, sql, params),
    listen: (channel, handler, onReconnect) => listener.listen(channel, handler, onReconnect),
    async notify(channel, payload) {
      await run(pool, 'SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      const unlimited = options.unlimited ?? false;
      let broken: Error | undefined;
      try {
        await run(client, options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation}` : 'BEGIN');
        if (unlimited) await run(client, 'SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0', undefined, true);
        if (options.readOnly) await run(client, 'SET TRANSACTION READ ONLY');
        const result = await fn({
          query: (sql, params) => run(client, sql, params, unlimited),
          exec: async (sql) => {
            await run(client, sql, undefined, unlimited);
          },
        });
        await run(client, 'COMMIT');
        return result;
      } catch (error) {
        if (isUnavailable(error)) {
          // Do not wait on a ROLLBACK the server will not answer: drop the
          // connection (the server rolls back when it notices, or when the
          // idle-in-transaction timeout ends it).
          broken = error instanceof Error ? error : new Error(String(error));
        } else {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
        }
        throw error;
      } finally {
        client.release(broken); // with an error, the pool closes this connection instead of reusing it
      }
    },
    async exec(sql) {
      // Scripts (migrations, CREATE DATABASE, test resets) may take long on purpose: no time limit, on one connection.
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      let broken: Error | undefined;
      try {
        await run(client, 'SET statement_timeout = 0');
        await run(client, sql, undefined, true);
        await run(client, 'RESET statement_timeout');
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error)); // the connection may keep the setting: not reused
        throw error;
      } finally {
        client.release(broken);
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** The listening connection's application_name (pg_stat_activity). */
export const LISTENER_NAME = 'hearth-listen';
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

interface Subscription {
  handler: (payload: string) => void;
  onReconnect?: () => void;
}

/**
 * One dedicated connection (outside the pool) that LISTENs for every channel
 * this process asked for. When it is lost it reconnects (with backoff, from
 * 0.1 s to 5 s), listens again, and tells the subscribers that notifications
 * may have been missed.
 */
class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly subscriptions = new Map<string, Set<Subscription>>();
  private closed = false;
  private delay = RECONNECT_MIN_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly connectTimeoutMs: number,
  ) {}

  async listen(channel: string, handler: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
    const subscription: Subscription = { handler, onReconnect };
    let set = this.subscriptions.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.subscriptions.set(channel, set);
    }
    set.add(subscription);
    await this.connect();
    if (first && this.client) {
      try {
        await this.client.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (error) {
        throw translate(error);
      }
    }
    return async () => {
      set.delete(subscription);
      if (set.size === 0 && this.subscriptions.get(channel) === set) {
        this.subscriptions.delete(channel);
        await this.client?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined); // a lost connection listens to nothing anyway
      }
    };
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: this.connectTimeoutMs, keepAlive: true, application_name: LISTENER_NAME });
    client.on('notification', (n) => {
      for (const s of this.subscriptions.get(n.channel) ?? []) s.handler(n.payload ?? '');
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('end');
      client.end().catch(() => undefined); // already broken: nothing to close cleanly
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      for (const channel of this.subscriptions.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined); // it never worked
      throw translate(error);
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.delay = RECONNECT_MIN_MS;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().then(
        () => {
          for (const set of this.subscriptions.values()) for (const s of set) s.onReconnect?.();
        },
        () => {
          this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.delay);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.connecting?.catch(() => undefined); // closing regardless
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined); // closing regardless
    }
  }
}
