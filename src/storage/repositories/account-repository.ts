import type { Queryable } from '../database.js';

/** Ends a member's sessions (all of them, or all but `keepSid`). */
export async function endSessionsOf(q: Queryable, memberId: number, keepSid?: string): Promise<number> {
  const rows = await q.query(
    `DELETE FROM sessions WHERE data->'passport'->>'user' = $1::text AND ($2::text IS NULL OR sid <> $2) RETURNING sid`,
    [String(memberId), keepSid ?? null],
  );
  return rows.length;
}

/** Whether the member asked for their account to be deleted (codes and links no longer bring it back). */
export async function isLeaving(q: Queryable, memberId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM account_deletions WHERE member_id = $1', [memberId])).length > 0;
}

/** A new set of recovery codes (their hashes) in place of the old set. */
export async function replaceRecoveryCodes(q: Queryable, memberId: number, hashes: string[], at: Date): Promise<void> {
  await q.query('DELETE FROM recovery_codes WHERE member_id = $1', [memberId]);
  await q.query(
    'INSERT INTO recovery_codes (member_id, code_hash, created_at) SELECT $1, h, $3 FROM unnest($2::text[]) AS h',
    [memberId, hashes, at],
  );
}

export async function countUnusedRecoveryCodes(q: Queryable, memberId: number): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE member_id = $1 AND used_at IS NULL', [memberId]);
  return rows[0]?.n ?? 0;
}

/** Marks the code used; false when it is not one of the member's unused codes. */
export async function useRecoveryCode(q: Queryable, memberId: number, hash: string, at: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE recovery_codes SET used_at = $3 WHERE member_id = $1 AND code_hash = $2 AND used_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM account_deletions d WHERE d.member_id = recovery_codes.member_id)
     RETURNING member_id`,
    [memberId, hash, at],
  );
  return rows.length === 1;
}

export interface NewPasswordReset {
  tokenHash: string;
  memberId: number;
  issuedBy: number | null;
  channel: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertPasswordReset(q: Queryable, r: NewPasswordReset): Promise<void> {
  await q.query(
    `INSERT INTO password_resets (token_hash, member_id, issued_by, channel, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [r.tokenHash, r.memberId, r.issuedBy, r.channel, r.createdAt, r.expiresAt],
  );
}

/** The member a usable (unused, unexpired) reset token is for. */
export async function findUsablePasswordReset(q: Queryable, tokenHash: string, now: Date): Promise<number | undefined> {
  const rows = await q.query<{ member_id: number }>(
    `SELECT member_id FROM password_resets r WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
       AND NOT EXISTS (SELECT 1 FROM account_deletions d WHERE d.member_id = r.member_id)`,
    [tokenHash, now],
  );
  return rows[0]?.member_id;
}

/** Uses a reset token once; the member it was for, or undefined when it is not usable. */
export async function usePasswordReset(q: Queryable, tokenHash: string, now: Date): Promise<number | undefined> {
  const rows = await q.query<{ member_id: number }>(
    `UPDATE password_resets r SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
       AND NOT EXISTS (SELECT 1 FROM account_deletions d WHERE d.member_id = r.member_id)
     RETURNING member_id`,
    [tokenHash, now],
  );
  return rows[0]?.member_id;
}

/** Any earlier links for this member stop working when a new one is issued or one is used. */
export async function retirePasswordResets(q: Queryable, memberId: number, now: Date): Promise<void> {
  await q.query('UPDATE password_resets SET used_at = $2 WHERE member_id = $1 AND used_at IS NULL', [memberId, now]);
}
