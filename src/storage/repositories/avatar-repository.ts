import type { Queryable } from '../database.js';

export interface StoredAvatar {
  image: Buffer;
  contentType: string;
  version: string;
}

/** Saves a member's picture and its new version (run it inside a transaction). */
export async function saveAvatar(q: Queryable, memberId: number, a: StoredAvatar): Promise<void> {
  await q.query(
    `INSERT INTO member_avatars (member_id, image, content_type, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (member_id) DO UPDATE SET image = EXCLUDED.image, content_type = EXCLUDED.content_type, updated_at = now()`,
    [memberId, a.image, a.contentType],
  );
  await q.query('UPDATE members SET avatar_version = $2 WHERE id = $1', [memberId, a.version]);
}

export async function deleteAvatar(q: Queryable, memberId: number): Promise<boolean> {
  const rows = await q.query('DELETE FROM member_avatars WHERE member_id = $1 RETURNING member_id', [memberId]);
  await q.query('UPDATE members SET avatar_version = NULL WHERE id = $1', [memberId]);
  return rows.length === 1;
}

/** An active member's picture by handle, or undefined. */
export async function findAvatarByHandle(q: Queryable, handle: string): Promise<StoredAvatar | undefined> {
  const rows = await q.query<{ image: Uint8Array; content_type: string; avatar_version: string }>(
    `SELECT a.image, a.content_type, m.avatar_version FROM member_avatars a JOIN members m ON m.id = a.member_id
     WHERE m.handle = $1 AND m.status = 'active' AND m.avatar_version IS NOT NULL`,
    [handle],
  );
  const row = rows[0];
  return row ? { image: Buffer.from(row.image), contentType: row.content_type, version: row.avatar_version } : undefined;
}

/** The member's picture for their export (base64), or null. */
export async function exportAvatar(q: Queryable, memberId: number): Promise<{ contentType: string; base64: string } | null> {
  const rows = await q.query<{ image: Uint8Array; content_type: string }>('SELECT image, content_type FROM member_avatars WHERE member_id = $1', [memberId]);
  const row = rows[0];
  return row ? { contentType: row.content_type, base64: Buffer.from(row.image).toString('base64') } : null;
}
