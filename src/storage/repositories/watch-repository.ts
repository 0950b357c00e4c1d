import type { WatchLevel } from '../../domain/notifications/watching.js';
import type { Queryable } from '../database.js';

/** What a member chose for a circle here or one followed elsewhere (undefined: the default). */
export async function circleWatch(q: Queryable, memberId: number, circle: { circleId?: number; remoteCircleId?: number }): Promise<WatchLevel | undefined> {
  const rows = await q.query<{ level: WatchLevel }>(
    'SELECT level FROM circle_watches WHERE member_id = $1 AND (circle_id = $2 OR remote_circle_id = $3)',
    [memberId, circle.circleId ?? null, circle.remoteCircleId ?? null],
  );
  return rows[0]?.level;
}

export async function setCircleWatch(q: Queryable, memberId: number, circle: { circleId?: number; remoteCircleId?: number }, level: WatchLevel, at: Date): Promise<void> {
  await q.query('DELETE FROM circle_watches WHERE member_id = $1 AND (circle_id = $2 OR remote_circle_id = $3)', [memberId, circle.circleId ?? null, circle.remoteCircleId ?? null]);
  await q.query('INSERT INTO circle_watches (member_id, circle_id, remote_circle_id, level, updated_at) VALUES ($1, $2, $3, $4, $5)', [
    memberId,
    circle.circleId ?? null,
    circle.remoteCircleId ?? null,
    level,
    at,
  ]);
}

export async function threadWatch(q: Queryable, memberId: number, threadId: number): Promise<WatchLevel | undefined> {
  const rows = await q.query<{ level: WatchLevel }>('SELECT level FROM thread_watches WHERE member_id = $1 AND thread_id = $2', [memberId, threadId]);
  return rows[0]?.level;
}

export async function setThreadWatch(q: Queryable, memberId: number, threadId: number, level: WatchLevel, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO thread_watches (member_id, thread_id, level, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (thread_id, member_id) DO UPDATE SET level = EXCLUDED.level, updated_at = EXCLUDED.updated_at`,
    [memberId, threadId, level, at],
  );
}

/** Taking part watches a thread: at "replies to me and mentions", unless the member already chose "every post". */
export async function watchOnTakingPart(q: Queryable, memberId: number, threadId: number, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO thread_watches (member_id, thread_id, level, updated_at) VALUES ($1, $2, 'replies', $3)
     ON CONFLICT (thread_id, member_id) DO UPDATE SET level = 'replies', updated_at = EXCLUDED.updated_at WHERE thread_watches.level = 'nothing'`,
    [memberId, threadId, at],
  );
}

/**
 * Who watches a thread and how: a member's level for the thread itself, else
 * their level for its circle (here or followed elsewhere). Members with
 * neither are at the default and are not listed.
 */
export async function watchersOf(q: Queryable, threadId: number): Promise<Array<{ memberId: number; level: WatchLevel }>> {
  const rows = await q.query<{ member_id: number; level: WatchLevel }>(
    `SELECT tw.member_id, tw.level FROM thread_watches tw WHERE tw.thread_id = $1
     UNION ALL
     SELECT cw.member_id, cw.level FROM threads t
       JOIN circle_watches cw ON (cw.circle_id = t.circle_id OR cw.remote_circle_id = t.remote_circle_id)
     WHERE t.id = $1 AND NOT EXISTS (SELECT 1 FROM thread_watches tw WHERE tw.thread_id = $1 AND tw.member_id = cw.member_id)`,
    [threadId],
  );
  return rows.map((r) => ({ memberId: r.member_id, level: r.level }));
}

/** Of `memberIds`, those who belong to the circle (members-only circles tell only their members). */
export async function circleMembersAmong(q: Queryable, circleId: number, memberIds: number[]): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await q.query<{ member_id: number }>('SELECT member_id FROM circle_members WHERE circle_id = $1 AND member_id = ANY($2::int[])', [circleId, memberIds]);
  return new Set(rows.map((r) => r.member_id));
}

/** What the post notifications need to know about a post. */
export interface PostFacts {
  postId: number;
  threadId: number;
  state: string;
  isOpening: boolean;
  createdAt: Date;
  authorId: number | null;
  remoteAuthorId: number | null;
  threadAuthorId: number | null;
  circleId: number | null;
  circleSlug: string | null;
  circlePublic: boolean;
  remoteCircleId: number | null;
  /** The post's position in its thread (0 = the opening post). */
  position: number;
}

export async function postFacts(q: Queryable, postId: number): Promise<PostFacts | undefined> {
  const rows = await q.query<{
    id: number;
    thread_id: number;
    state: string;
    is_opening: boolean;
    created_at: Date;
    author_id: number | null;
    remote_author_id: number | null;
    thread_author_id: number | null;
    circle_id: number | null;
    slug: string | null;
    visibility: string | null;
    remote_circle_id: number | null;
    position: number;
  }>(
    `SELECT p.id, p.thread_id, p.state, p.is_opening, p.created_at, p.author_id, p.remote_author_id, t.author_id AS thread_author_id,
       t.circle_id, c.slug, c.visibility, t.remote_circle_id,
       (SELECT count(*)::int FROM posts o WHERE o.thread_id = p.thread_id AND (o.created_at < p.created_at OR (o.created_at = p.created_at AND o.id < p.id))) AS position
     FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN circles c ON c.id = t.circle_id
     WHERE p.id = $1`,
    [postId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    postId: r.id,
    threadId: r.thread_id,
    state: r.state,
    isOpening: r.is_opening,
    createdAt: r.created_at,
    authorId: r.author_id,
    remoteAuthorId: r.remote_author_id,
    threadAuthorId: r.thread_author_id,
    circleId: r.circle_id,
    circleSlug: r.slug,
    circlePublic: r.visibility === 'public',
    remoteCircleId: r.remote_circle_id,
    position: r.position,
  };
}

/** Members following a circle elsewhere (for its new threads, when they watch it). */
export async function followersOfRemoteCircle(q: Queryable, remoteCircleId: number): Promise<number[]> {
  const rows = await q.query<{ member_id: number }>('SELECT member_id FROM remote_circle_follows WHERE remote_circle_id = $1', [remoteCircleId]);
  return rows.map((r) => r.member_id);
}

// ---------------------------------------------------------------- "I'll come"

export async function setAttending(q: Queryable, meetingId: number, memberId: number, coming: boolean, at: Date): Promise<void> {
  if (coming) {
    await q.query('INSERT INTO meeting_attendance (meeting_id, member_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [meetingId, memberId, at]);
  } else {
    await q.query('DELETE FROM meeting_attendance WHERE meeting_id = $1 AND member_id = $2', [meetingId, memberId]);
  }
}

export async function isAttending(q: Queryable, meetingId: number, memberId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM meeting_attendance WHERE meeting_id = $1 AND member_id = $2', [meetingId, memberId])).length > 0;
}

/** Everyone who said they'd come to a meeting that is not cancelled, with the date they were last reminded of. */
export async function attendanceToRemind(q: Queryable): Promise<Array<{ meetingId: number; memberId: number; remindedFor: Date | null }>> {
  const rows = await q.query<{ meeting_id: number; member_id: number; reminded_for: Date | null }>(
    `SELECT a.meeting_id, a.member_id, a.reminded_for FROM meeting_attendance a JOIN circle_meetings m ON m.id = a.meeting_id
     WHERE m.cancelled_at IS NULL ORDER BY a.meeting_id, a.member_id`,
  );
  return rows.map((r) => ({ meetingId: r.meeting_id, memberId: r.member_id, remindedFor: r.reminded_for }));
}

/** Records the reminder of one date; false when another process already sent it. */
export async function markReminded(q: Queryable, meetingId: number, memberId: number, start: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE meeting_attendance SET reminded_for = $3 WHERE meeting_id = $1 AND member_id = $2 AND reminded_for IS DISTINCT FROM $3 RETURNING 1',
    [meetingId, memberId, start],
  );
  return rows.length > 0;
}
