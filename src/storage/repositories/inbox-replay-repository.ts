import { createHash } from 'node:crypto';
import type { Queryable } from '../database.js';

const hashOf = (signature: string) => createHash('sha256').update(signature).digest('base64url');

/**
 * Claims a signed request's signature for `ttlMs` (on the database's clock):
 * true the first time, false when any Hearth process sharing the database
 * already accepted it and the claim has not expired (a replay).
 */
export async function claimInboxSignature(q: Queryable, signature: string, ttlMs: number): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO inbox_signatures_seen (signature_hash, expires_at) VALUES ($1, now() + make_interval(secs => $2))
     ON CONFLICT (signature_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at
       WHERE inbox_signatures_seen.expires_at <= now()
     RETURNING 1`,
    [hashOf(signature), ttlMs / 1000],
  );
  return rows.length === 1;
}

/** Removes expired claims; returns how many. */
export async function pruneInboxSignatures(q: Queryable): Promise<number> {
  const rows = await q.query('DELETE FROM inbox_signatures_seen WHERE expires_at <= now() RETURNING 1');
  return rows.length;
}
