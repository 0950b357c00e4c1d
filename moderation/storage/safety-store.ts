import type { Queryable } from '../../src/storage/database.js';
import type { ModeratorMessage } from '../types.js';

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

/** Whether either of the two blocked the other. */
export async function blockedBetween(q: Queryable, a: number, b: number): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM member_blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)',
    [a, b],
  );
  return rows.length > 0;
}

/** Of these (member, other) pairs, those where either blocked the other, as `memberId:otherId`: one statement for many. */
export async function blockedPairs(q: Queryable, pairs: ReadonlyArray<{ memberId: number; otherId: number }>): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await q.query<{ member_id: number; other_id: number }>(
    `SELECT u.member_id, u.other_id FROM unnest($1::int[], $2::int[]) AS u (member_id, other_id)
      WHERE EXISTS (SELECT 1 FROM member_blocks b
        WHERE (b.blocker_id = u.member_id AND b.blocked_id = u.other_id) OR (b.blocker_id = u.other_id AND b.blocked_id = u.member_id))`,
    [pairs.map((p) => p.memberId), pairs.map((p) => p.otherId)],
  );
  return new Set(rows.map((r) => `${r.member_id}:${r.other_id}`));
}

export async function listBlocked(q: Queryable, blockerId: number): Promise<Array<{ id: number; handle: string; displayName: string }>> {
  const rows = await q.query<{ id: number; handle: string; display_name: string }>(
    'SELECT m.id, m.handle, m.display_name FROM member_blocks b JOIN members m ON m.id = b.blocked_id WHERE b.blocker_id = $1 ORDER BY m.handle',
    [blockerId],
  );
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
}

export async function insertModeratorMessage(
  q: Queryable,
  m: { actionId: number; toMemberId: number; circleId: number | null; postId: number | null; agreement: string; body: string; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO moderator_messages (action_id, to_member_id, circle_id, post_id, agreement, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [m.actionId, m.toMemberId, m.circleId, m.postId, m.agreement, m.body, m.at],
  );
  return rows[0]!.id;
}

/** Messages a circle's moderators sent a member, newest first. */
export async function listModeratorMessages(q: Queryable, memberId: number, limit: number): Promise<ModeratorMessage[]> {
  const rows = await q.query<{
    id: number; circle_id: number | null; circle_name: string | null; circle_slug: string | null; post_id: number | null;
    agreement: string; body: string; created_at: Date; read_at: Date | null;
  }>(
    `SELECT m.id, m.circle_id, c.name AS circle_name, c.slug AS circle_slug, m.post_id, m.agreement, m.body, m.created_at, m.read_at
       FROM moderator_messages m LEFT JOIN circles c ON c.id = m.circle_id
      WHERE m.to_member_id = $1 ORDER BY m.id DESC LIMIT $2`,
    [memberId, limit],
  );
  return rows.map((r) => ({
    id: r.id, circleId: r.circle_id, circleName: r.circle_name, circleSlug: r.circle_slug, postId: r.post_id,
    agreement: r.agreement, body: r.body, createdAt: r.created_at, readAt: r.read_at,
  }));
}

export async function markModeratorMessagesRead(q: Queryable, memberId: number, at: Date): Promise<void> {
  await q.query('UPDATE moderator_messages SET read_at = $2 WHERE to_member_id = $1 AND read_at IS NULL', [memberId, at]);
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

/** Who started a thread: undefined without such a thread, null when its author is gone or elsewhere. */
export async function threadStarterId(q: Queryable, threadId: number): Promise<number | null | undefined> {
  const rows = await q.query<{ author_id: number | null }>('SELECT author_id FROM threads WHERE id = $1', [threadId]);
  return rows[0]?.author_id;
}

export async function threadModerationState(q: Queryable, threadId: number): Promise<{ lockedAt: Date | null; slowSeconds: number } | undefined> {
  const rows = await q.query<{ locked_at: Date | null; slow_seconds: number }>('SELECT locked_at, slow_seconds FROM threads WHERE id = $1', [threadId]);
  return rows[0] && { lockedAt: rows[0].locked_at, slowSeconds: rows[0].slow_seconds };
}

/** A thread's lock and slow mode, and (with a viewer) who they blocked and who blocked them: one statement for a thread's page. */
export async function threadReadingState(
  q: Queryable,
  threadId: number,
  viewerId: number | null,
): Promise<{ lockedAt: Date | null; slowSeconds: number; blocked: number[]; blockedBy: number[] } | undefined> {
  const rows = await q.query<{ locked_at: Date | null; slow_seconds: number; blocked: number[] | null; blocked_by: number[] | null }>(
    `SELECT t.locked_at, t.slow_seconds,
       (SELECT array_agg(b.blocked_id) FROM member_blocks b WHERE b.blocker_id = $2::int) AS blocked,
       (SELECT array_agg(b.blocker_id) FROM member_blocks b WHERE b.blocked_id = $2::int) AS blocked_by
     FROM threads t WHERE t.id = $1`,
    [threadId, viewerId],
  );
  const r = rows[0];
  return r && { lockedAt: r.locked_at, slowSeconds: r.slow_seconds, blocked: r.blocked ?? [], blockedBy: r.blocked_by ?? [] };
}

export async function heldPostsIn(q: Queryable, circleId: number): Promise<Array<{ postId: number; threadId: number; authorId: number | null }>> {
  const rows = await q.query<{ id: number; thread_id: number; author_id: number | null }>(
    "SELECT p.id, p.thread_id, p.author_id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.circle_id = $1 AND p.state = 'held' ORDER BY p.created_at, p.id",
    [circleId],
  );
  return rows.map((r) => ({ postId: r.id, threadId: r.thread_id, authorId: r.author_id }));
}
