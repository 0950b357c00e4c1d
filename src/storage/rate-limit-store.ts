import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Queryable } from './database.js';

/**
 * express-rate-limit's counters in Hearth's database, so that limits hold
 * across every Hearth process and across restarts. Each limiter gets its own
 * store (its `prefix` keeps their keys apart). Counting is a fixed window: the
 * first hit starts it, and one atomic upsert either adds to the count or, when
 * the window has passed, starts a new one. The database's clock is used, so
 * every process agrees on it. Old rows are removed by `pruneRateLimitCounters`.
 */
export class PostgresRateLimitStore implements Store {
  /** Counts are shared with other processes (express-rate-limit's double-count check). */
  readonly localKeys = false;
  constructor(
    private readonly db: Queryable,
    readonly prefix: string,
    /** The window; express-rate-limit sets it through init(). */
    private windowMs = 60_000,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.db.query<{ count: number; reset_at: Date }>(
      'SELECT count, reset_at FROM rate_limit_counters WHERE key = $1 AND reset_at > now()',
      [this.key(key)],
    );
    const row = rows[0];
    return row ? { totalHits: row.count, resetTime: new Date(row.reset_at) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const rows = await this.db.query<{ count: number; reset_at: Date }>(
      `INSERT INTO rate_limit_counters AS c (key, count, reset_at)
       VALUES ($1, 1, now() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.count + 1 END,
         reset_at = CASE WHEN c.reset_at <= now() THEN EXCLUDED.reset_at ELSE c.reset_at END
       RETURNING count, reset_at`,
      [this.key(key), this.windowMs],
    );
    const row = rows[0]!;
    return { totalHits: row.count, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.query('UPDATE rate_limit_counters SET count = count - 1 WHERE key = $1 AND count > 0 AND reset_at > now()', [this.key(key)]);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_counters WHERE key = $1', [this.key(key)]);
  }

  async resetAll(): Promise<void> {
    await this.db.query("DELETE FROM rate_limit_counters WHERE starts_with(key, $1 || ':')", [this.prefix]);
  }
}

/** Removes counters whose window has passed; the server runs it periodically. */
export async function pruneRateLimitCounters(db: Queryable): Promise<number> {
  const rows = await db.query('DELETE FROM rate_limit_counters WHERE reset_at <= now() RETURNING key');
  return rows.length;
}
