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
/** What decides whether a member's kept page may be sent again (src/web/member-pages.ts). */
export interface ReaderStamp {
  /** The logged-in member, or null for a session without a login. */
  memberId: number | null;
  /** Moves whenever something only this member sees may have changed (migration 0038). */
  version: string;
  /** The member set a break for themselves: their pages are always rendered (the break page decides). */
  breakSet: boolean;
}

interface StampRow {
  data: session.SessionData;
  member_id: number | null;
  version: string;
  break_set: boolean;
  expires_at: Date;
}

/** A stamp read while the database (used by this process alone) had `writes` writes. */
interface KnownStamp {
  stamp: ReaderStamp;
  writes: number;
  expiresAt: number;
}

export class PostgresSessionStore extends session.Store {
  private readonly touched = new LRUCache<string, number>({ max: 50_000, ttl: TOUCH_EVERY_MS });
  /** A session read with its reader's stamp, for express-session's read later in the same request. */
  private readonly readAhead = new LRUCache<string, session.SessionData>({ max: 10_000, ttl: 2_000 });
  /** On a database only this process uses: stamps read since which nothing was written. */
  private readonly known = new LRUCache<string, KnownStamp>({ max: 10_000 });

  constructor(private readonly db: Queryable & { readonly writes?: () => number }) {
    super();
  }

  /**
   * The session and what its member's kept pages depend on, in one statement.
   * The session's data is handed to express-session's `get` in the same
   * request instead of being read twice.
   */
  async readerStamp(sid: string): Promise<ReaderStamp | undefined> {
    // With PGlite (one process), nothing written since the last reading means the same answer.
    const writes = this.db.writes?.();
    const known = this.known.get(sid);
    if (writes !== undefined && known && known.writes === writes && known.expiresAt > Date.now()) return known.stamp;
    const [row] = await this.db.query<StampRow>(
      `SELECT s.data, s.member_id, s.expires_at,
              COALESCE((SELECT v.version FROM reader_versions v WHERE v.member_id = s.member_id), 0)::text AS version,
              EXISTS (SELECT 1 FROM break_settings b WHERE b.member_id = s.member_id) AS break_set
         FROM sessions s
        WHERE s.sid = $1 AND s.expires_at > now()`,
      [sid],
    );
    if (!row) return undefined;
    this.readAhead.set(sid, row.data);
    const stamp = { memberId: row.member_id, version: row.version, breakSet: row.break_set };
    if (writes !== undefined) this.known.set(sid, { stamp, writes, expiresAt: new Date(row.expires_at).getTime() });
    return stamp;
  }

  /** The session read ahead was not needed (its page was sent from memory). */
  dropReadAhead(sid: string): void {
    this.readAhead.delete(sid);
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    const ahead = this.readAhead.get(sid);
    if (ahead) {
      this.readAhead.delete(sid);
      callback(null, ahead);
      return;
    }
    this.db
      .query<{ data: session.SessionData }>('SELECT data FROM sessions WHERE sid = $1 AND expires_at > now()', [sid])
      .then((rows) => callback(null, rows[0]?.data ?? null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.touched.set(sid, Date.now());
    this.readAhead.delete(sid);
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
    this.readAhead.delete(sid);
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
