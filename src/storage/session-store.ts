import session from 'express-session';
import { LRUCache } from 'lru-cache';
import type { Queryable } from './database.js';

const DAY_MS = 86_400_000;
/** A session's expiry is moved on (express-session's rolling `touch`) at most this often per process. */
export const TOUCH_EVERY_MS = 60_000;

/**
 * express-session's store on Hearth's database, so sessions survive restarts
 * and are shared by every Hearth process. Expired rows are ignored on read and
 * pruned by `prune()`, which the server runs periodically. A session read on
 * every page has its expiry moved on at most once a minute (not a write per
 * request); 30 days less a minute is still 30 days.
 */
export class PostgresSessionStore extends session.Store {
  private readonly touched = new LRUCache<string, number>({ max: 50_000, ttl: TOUCH_EVERY_MS });

  constructor(private readonly db: Queryable) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .query<{ data: session.SessionData }>('SELECT data FROM sessions WHERE sid = $1 AND expires_at > now()', [sid])
      .then((rows) => callback(null, rows[0]?.data ?? null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.touched.set(sid, Date.now());
    this.db
      .query(
        `INSERT INTO sessions (sid, data, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [sid, JSON.stringify(data), expiryOf(data)],
      )
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    if (this.touched.has(sid)) {
      callback?.();
      return;
    }
    this.touched.set(sid, Date.now());
    this.db
      .query('UPDATE sessions SET expires_at = $2 WHERE sid = $1', [sid, expiryOf(data)])
      .then(() => callback?.(), () => callback?.());
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.touched.delete(sid);
    this.db.query('DELETE FROM sessions WHERE sid = $1', [sid]).then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  async prune(): Promise<number> {
    const rows = await this.db.query('DELETE FROM sessions WHERE expires_at <= now() RETURNING sid');
    return rows.length;
  }
}

function expiryOf(data: session.SessionData): Date {
  const expires = data.cookie?.expires;
  if (expires) return new Date(expires);
  return new Date(Date.now() + DAY_MS);
}
