import type { Queryable } from '../database.js';

export interface Invite {
  code: string;
  createdBy: number | null;
  note: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: number | null;
  usedAt: Date | null;
}

interface InviteRow {
  code: string;
  created_by: number | null;
  note: string;
  created_at: Date;
  expires_at: Date;
  used_by: number | null;
  used_at: Date | null;
}

const toInvite = (r: InviteRow): Invite => ({
  code: r.code,
  createdBy: r.created_by,
  note: r.note,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedBy: r.used_by,
  usedAt: r.used_at,
});

export async function insertInvite(
  q: Queryable,
  i: { code: string; createdBy: number; note: string; createdAt: Date; expiresAt: Date },
): Promise<Invite> {
  const rows = await q.query<InviteRow>(
    'INSERT INTO invites (code, created_by, note, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [i.code, i.createdBy, i.note, i.createdAt, i.expiresAt],
  );
  return toInvite(rows[0]!);
}

/** Marks an unused, unexpired invite as used; returns false when it is not usable. */
export async function useInvite(q: Queryable, code: string, memberId: number, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE invites SET used_by = $2, used_at = $3
     WHERE code = $1 AND used_at IS NULL AND expires_at > $3 RETURNING code`,
    [code, memberId, now],
  );
  return rows.length === 1;
}

export async function findInvite(q: Queryable, code: string): Promise<Invite | undefined> {
  const rows = await q.query<InviteRow>('SELECT * FROM invites WHERE code = $1', [code]);
  return rows[0] && toInvite(rows[0]);
}

export async function listInvites(q: Queryable): Promise<Invite[]> {
  const rows = await q.query<InviteRow>('SELECT * FROM invites ORDER BY created_at DESC LIMIT 100');
  return rows.map(toInvite);
}
