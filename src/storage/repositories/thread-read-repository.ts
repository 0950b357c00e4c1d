import type { Queryable } from '../database.js';

/**
 * How far each member has read each thread (`thread_reads`, migration 0029).
 * A thread's order is its posts' (created_at, id), as its pages show them.
 */

/**
 * SQL (a boolean) for "thread `t` has a visible post by someone else that
 * `member` has not read yet". Needs `t` (threads), `tr` (the member's
 * thread_reads row, LEFT JOINed) and `lp` (the post it names, LEFT JOINed);
 * `member` is a placeholder like `$4::int`. Without any read mark, posts
 * since the member joined count as unread (not a whole archive at once).
 */
export function unreadCondition(member: string): string {
  return `(${member} IS NOT NULL AND EXISTS (
    SELECT 1 FROM posts np
    WHERE np.thread_id = t.id AND np.state = 'visible' AND np.author_id IS DISTINCT FROM ${member}
      AND CASE
        WHEN tr.member_id IS NULL THEN np.created_at > (SELECT jm.created_at FROM members jm WHERE jm.id = ${member})
        WHEN lp.id IS NULL THEN np.created_at > tr.read_at
        ELSE (np.created_at, np.id) > (lp.created_at, lp.id)
      END))`;
}

/** The joins `unreadCondition` reads from. */
export function readMarkJoins(member: string): string {
  return `LEFT JOIN thread_reads tr ON tr.thread_id = t.id AND tr.member_id = ${member}
     LEFT JOIN posts lp ON lp.id = tr.last_read_post_id`;
}

/**
 * The member has read `threadId` up to `postId`. One statement; the mark only
 * moves forward, and a row is written only when it does. Reading a page again
 * writes nothing at all: the NOT EXISTS leaves the insert without a row, so
 * that ON CONFLICT neither locks the member's row (which would give every
 * reading a transaction id, WAL and a flush at commit, and make a member's
 * concurrent readings wait for each other) nor touches it. True when the
 * mark moved (a row written).
 */
export async function markThreadRead(q: Queryable, memberId: number, threadId: number, postId: number, at: Date): Promise<boolean> {
  const written = await q.query(
    `INSERT INTO thread_reads AS tr (member_id, thread_id, last_read_post_id, read_at)
     SELECT $1::int, $2::int, $3::int, $4::timestamptz
     WHERE NOT EXISTS (
       SELECT 1 FROM thread_reads r
       JOIN posts op ON op.id = r.last_read_post_id
       JOIN posts np ON np.id = $3::int
       WHERE r.member_id = $1::int AND r.thread_id = $2::int AND (np.created_at, np.id) <= (op.created_at, op.id))
     ON CONFLICT (member_id, thread_id) DO UPDATE SET last_read_post_id = EXCLUDED.last_read_post_id, read_at = EXCLUDED.read_at
     WHERE tr.last_read_post_id IS NULL
        OR (SELECT (np.created_at, np.id) FROM posts np WHERE np.id = EXCLUDED.last_read_post_id)
         > (SELECT (op.created_at, op.id) FROM posts op WHERE op.id = tr.last_read_post_id)
     RETURNING 1`,
    [memberId, threadId, postId, at],
  );
  return written.length > 0;
}

/** Every thread of a circle read up to its last post (one statement). */
export async function markCircleRead(q: Queryable, memberId: number, circleId: number, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO thread_reads AS tr (member_id, thread_id, last_read_post_id, read_at)
     SELECT $1, t.id, last.id, $3
     FROM threads t
     JOIN LATERAL (SELECT p.id FROM posts p WHERE p.thread_id = t.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1) last ON true
     WHERE t.circle_id = $2
     ON CONFLICT (member_id, thread_id) DO UPDATE SET last_read_post_id = EXCLUDED.last_read_post_id, read_at = EXCLUDED.read_at
     WHERE tr.last_read_post_id IS DISTINCT FROM EXCLUDED.last_read_post_id`,
    [memberId, circleId, at],
  );
}

/** The first visible post by someone else the member has not read yet, if any. */
export async function firstUnreadPost(
  q: Queryable,
  memberId: number,
  threadId: number,
): Promise<{ id: number; threadId: number; createdAt: Date } | undefined> {
  const rows = await q.query<{ id: number; thread_id: number; created_at: Date }>(
    `SELECT np.id, np.thread_id, np.created_at
     FROM threads t
     ${readMarkJoins('$1::int')}
     JOIN posts np ON np.thread_id = t.id
     WHERE t.id = $2 AND np.state = 'visible' AND np.author_id IS DISTINCT FROM $1::int
       AND CASE
         WHEN tr.member_id IS NULL THEN np.created_at > (SELECT jm.created_at FROM members jm WHERE jm.id = $1::int)
         WHEN lp.id IS NULL THEN np.created_at > tr.read_at
         ELSE (np.created_at, np.id) > (lp.created_at, lp.id)
       END
     ORDER BY np.created_at, np.id
     LIMIT 1`,
    [memberId, threadId],
  );
  const r = rows[0];
  return r && { id: r.id, threadId: r.thread_id, createdAt: r.created_at };
}
