import type { Queryable } from '../../src/storage/database.js';
import type { CheckIn } from '../types.js';

export async function blockMember(q: Queryable, blockerId: number, blockedId: number, at: Date): Promise<void> {
  await q.query('INSERT INTO member_blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [blockerId, blockedId, at]);
}

export async function unblockMember(q: Queryable, blockerId: number, blockedId: number): Promise<void> {
  await q.query('DELETE FROM member_blocks WHERE blocker_id = $1 AND blocked_id = $2', [blockerId, blockedId]);
}

export async function blockRelations(q: Queryable, memberId: number): Promise<{ blocked: Set<number>; blockedBy: Set<number> }> {
  const rows = await q.query<{ blocker_id: number; blocked_id: number }>(
    'SELECT blocker_id, blocked_id FROM member_blocks WHERE blocker_id = $1 OR blocked_id = $1',
    [memberId],
  );
  return {
    blocked: new Set(rows.filter((r) => r.blocker_id === memberId).map((r) => r.blocked_id)),
    blockedBy: new Set(rows.filter((r) => r.blocked_id === memberId).map((r) => r.blocker_id)),
  };
}

export async function listBlocked(q: Queryable, blockerId: number): Promise<Array<{ id: number; handle: string; displayName: string }>> {
  const rows = await q.query<{ id: number; handle: string; display_name: string }>(
    'SELECT m.id, m.handle, m.display_name FROM member_blocks b JOIN members m ON m.id = b.blocked_id WHERE b.blocker_id = $1 ORDER BY m.handle',
    [blockerId],
  );
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
}

export async function insertCheckIn(q: Queryable, c: { toMemberId: number; fromMemberId: number; circleId: number | null; reportId: number | null; body: string; at: Date }): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO check_ins (to_member_id, from_member_id, circle_id, report_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [c.toMemberId, c.fromMemberId, c.circleId, c.reportId, c.body, c.at],
  );
  return rows[0]!.id;
}

export async function listCheckIns(q: Queryable, memberId: number, limit: number): Promise<CheckIn[]> {
  const rows = await q.query<{
    id: number; to_member_id: number; to_handle: string; from_member_id: number | null; from_handle: string | null;
    circle_id: number | null; body: string; created_at: Date; read_at: Date | null;
  }>(
    `SELECT c.id, c.to_member_id, t.handle AS to_handle, c.from_member_id, f.handle AS from_handle, c.circle_id, c.body, c.created_at, c.read_at
       FROM check_ins c JOIN members t ON t.id = c.to_member_id LEFT JOIN members f ON f.id = c.from_member_id
      WHERE c.to_member_id = $1 OR c.from_member_id = $1 ORDER BY c.id DESC LIMIT $2`,
    [memberId, limit],
  );
  return rows.map((r) => ({
    id: r.id, toMemberId: r.to_member_id, toHandle: r.to_handle, fromMemberId: r.from_member_id, fromHandle: r.from_handle,
    circleId: r.circle_id, body: r.body, createdAt: r.created_at, readAt: r.read_at,
  }));
}

export async function markCheckInsRead(q: Queryable, memberId: number, at: Date): Promise<void> {
  await q.query('UPDATE check_ins SET read_at = $2 WHERE to_member_id = $1 AND read_at IS NULL', [memberId, at]);
}

export async function unreadCheckIns(q: Queryable, memberId: number): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM check_ins WHERE to_member_id = $1 AND read_at IS NULL', [memberId]);
  return rows[0]!.n;
}

/** A member's own posts in a circle so far (for "first posts held"). */
export async function countPostsIn(q: Queryable, memberId: number, circleId: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.author_id = $1 AND t.circle_id = $2 AND p.state IN ('visible', 'deleted')",
    [memberId, circleId],
  );
  return rows[0]!.n;
}

export async function lastPostAt(q: Queryable, memberId: number, threadId: number): Promise<Date | null> {
  const rows = await q.query<{ at: Date | null }>('SELECT max(created_at) AS at FROM posts WHERE author_id = $1 AND thread_id = $2', [memberId, threadId]);
  return rows[0]?.at ?? null;
}

export async function threadModerationState(q: Queryable, threadId: number): Promise<{ lockedAt: Date | null; slowSeconds: number } | undefined> {
  const rows = await q.query<{ locked_at: Date | null; slow_seconds: number }>('SELECT locked_at, slow_seconds FROM threads WHERE id = $1', [threadId]);
  return rows[0] && { lockedAt: rows[0].locked_at, slowSeconds: rows[0].slow_seconds };
}

export async function heldPostsIn(q: Queryable, circleId: number): Promise<Array<{ postId: number; threadId: number; authorId: number | null }>> {
  const rows = await q.query<{ id: number; thread_id: number; author_id: number | null }>(
    "SELECT p.id, p.thread_id, p.author_id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.circle_id = $1 AND p.state = 'held' ORDER BY p.created_at, p.id",
    [circleId],
  );
  return rows.map((r) => ({ postId: r.id, threadId: r.thread_id, authorId: r.author_id }));
}
