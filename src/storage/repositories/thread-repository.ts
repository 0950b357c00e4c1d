import { avatarPath } from '../../domain/members/member.js';
import type { Page, Participant, Thread, ThreadSummary, WaitingThread } from '../../domain/threads/thread.js';
import { pageCountFor } from '../../domain/threads/thread.js';
import type { Queryable } from '../database.js';
import { readMarkJoins, unreadCondition } from './thread-read-repository.js';

interface ThreadRow {
  id: number;
  circle_id: number | null;
  remote_circle_id: number | null;
  title: string;
  author_id: number | null;
  author_handle: string | null;
  author_display_name: string | null;
  reply_count: number;
  created_at: Date;
  last_activity_at: Date;
  resolved_at: Date | null;
}

const COLUMNS = `t.id, t.circle_id, t.remote_circle_id, t.title, t.author_id,
  COALESCE(m.handle, ra.handle || '@' || ra.host) AS author_handle,
  COALESCE(m.display_name, ra.display_name) AS author_display_name, t.reply_count, t.created_at, t.last_activity_at, t.resolved_at`;

export function toThread(r: ThreadRow): Thread {
  return {
    id: r.id,
    circleId: r.circle_id,
    remoteCircleId: r.remote_circle_id,
    title: r.title,
    authorId: r.author_id,
    author: r.author_handle ? { handle: r.author_handle, displayName: r.author_display_name ?? '' } : null,
    replyCount: r.reply_count,
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
    resolvedAt: r.resolved_at,
  };
}

export async function insertThread(
  q: Queryable,
  t: { circleId: number; title: string; authorId: number; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO threads (circle_id, title, author_id, created_at, last_activity_at)
     VALUES ($1, $2, $3, $4, $4) RETURNING id`,
    [t.circleId, t.title, t.authorId, t.at],
  );
  return rows[0]!.id;
}

export async function insertRemoteThread(
  q: Queryable,
  t: { circleId?: number; remoteCircleId?: number; title: string; remoteAuthorId: number; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO threads (circle_id, remote_circle_id, title, remote_author_id, created_at, last_activity_at)
     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
    [t.circleId ?? null, t.remoteCircleId ?? null, t.title, t.remoteAuthorId, t.at],
  );
  return rows[0]!.id;
}

export async function findThread(q: Queryable, id: number): Promise<Thread | undefined> {
  const rows = await q.query<ThreadRow>(
    `SELECT ${COLUMNS} FROM threads t LEFT JOIN members m ON m.id = t.author_id LEFT JOIN remote_actors ra ON ra.id = t.remote_author_id WHERE t.id = $1`,
    [id],
  );
  return rows[0] && toThread(rows[0]);
}

/** Locks the thread row for the rest of the transaction (replies in order). */
export async function lockThread(q: Queryable, id: number): Promise<boolean> {
  const rows = await q.query('SELECT id FROM threads WHERE id = $1 FOR UPDATE', [id]);
  return rows.length === 1;
}

export async function recordReply(q: Queryable, threadId: number, at: Date): Promise<void> {
  await q.query(
    'UPDATE threads SET reply_count = reply_count + 1, last_activity_at = GREATEST(last_activity_at, $2) WHERE id = $1',
    [threadId, at],
  );
}

export async function setThreadTitle(q: Queryable, threadId: number, title: string): Promise<void> {
  await q.query('UPDATE threads SET title = $2 WHERE id = $1', [threadId, title]);
}

/** A circle's threads, most recent activity first, one page at a time (with the viewer's unread marks). */
export function listThreadsInCircle(q: Queryable, circleId: number, page: number, size: number, viewerId: number | null = null): Promise<Page<ThreadSummary>> {
  return listThreads(q, { where: 't.circle_id = $1', param: circleId }, page, size, viewerId);
}

/** The threads Hearth received from a circle followed on another server. */
export function listThreadsInRemoteCircle(q: Queryable, remoteCircleId: number, page: number, size: number): Promise<Page<ThreadSummary>> {
  return listThreads(q, { where: 't.remote_circle_id = $1', param: remoteCircleId }, page, size, null);
}

/**
 * The most recently active threads of the circles here a viewer may see
 * (public ones, and members-only ones they belong to), for the home page.
 */
export async function listRecentThreads(q: Queryable, viewerId: number | null, limit: number): Promise<ThreadSummary[]> {
  const visible = `t.circle_id IN (SELECT vc.id FROM circles vc WHERE vc.visibility = 'public'
    OR EXISTS (SELECT 1 FROM circle_members vm WHERE vm.circle_id = vc.id AND vm.member_id = $1::int))`;
  return (await listThreads(q, { where: visible, param: viewerId }, 1, limit, viewerId, false)).items;
}

// Threads whose opening post waits for review or was hidden by moderators stay out of lists.
const SHOWN = `NOT EXISTS (SELECT 1 FROM posts hp WHERE hp.thread_id = t.id AND hp.is_opening AND hp.state IN ('held', 'hidden', 'removed'))`;

/**
 * The last few people who posted in thread `t` (at most four, the most recent
 * first), from its last 40 visible posts: a JSON array, bounded work per row.
 */
const PARTICIPANTS = `LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('handle', w.handle, 'displayName', w.display_name, 'avatarUrl', w.avatar_url, 'avatarVersion', w.avatar_version) ORDER BY w.last_at DESC) AS people
  FROM (
    SELECT who.handle, max(who.display_name) AS display_name, max(who.avatar_url) AS avatar_url, max(who.avatar_version) AS avatar_version, max(who.created_at) AS last_at
    FROM (
      SELECT COALESCE(pm.handle, pra.handle || '@' || pra.host) AS handle, COALESCE(pm.display_name, pra.display_name, '') AS display_name,
        pra.avatar_url, pm.avatar_version, rp.created_at
      FROM (SELECT rp0.author_id, rp0.remote_author_id, rp0.created_at FROM posts rp0
            WHERE rp0.thread_id = t.id AND rp0.state = 'visible' ORDER BY rp0.created_at DESC, rp0.id DESC LIMIT 40) rp
      LEFT JOIN members pm ON pm.id = rp.author_id
      LEFT JOIN remote_actors pra ON pra.id = rp.remote_author_id
    ) who
    WHERE who.handle IS NOT NULL
    GROUP BY who.handle
    ORDER BY last_at DESC
    LIMIT 4
  ) w
) pp ON true`;

function participantsOf(raw: unknown): Participant[] {
  const list: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!Array.isArray(list)) return [];
  return list.map((p: { handle: string; displayName: string | null; avatarUrl: string | null; avatarVersion: string | null }) => ({
    handle: p.handle,
    displayName: p.displayName ?? '',
    // People elsewhere: their server's picture (through the media proxy); members here: the one they uploaded.
    avatarUrl: p.avatarUrl ?? avatarPath(p.handle, p.avatarVersion ?? null),
  }));
}

/**
 * One page of thread rows in one query: the thread, its opening post's
 * warning, its circle, its last participants and the viewer's unread mark
 * (`$1` is the filter's parameter, `$4` the viewer).
 */
async function listThreads(
  q: Queryable,
  filter: { where: string; param: number | null },
  page: number,
  size: number,
  viewerId: number | null,
  counted = true,
): Promise<Page<ThreadSummary>> {
  const total = counted
    ? (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM threads t WHERE ${filter.where} AND ${SHOWN}`, [filter.param]))[0]!.n
    : 0;
  const rows = await q.query<ThreadRow & { content_warning: string | null; html: string; state: string; circle_slug: string | null; circle_name: string | null; people: unknown; unread: boolean }>(
    `SELECT ${COLUMNS}, p.content_warning, p.html, p.state, c.slug AS circle_slug, c.name AS circle_name, pp.people,
       ${unreadCondition('$4::int')} AS unread
     FROM threads t
     LEFT JOIN members m ON m.id = t.author_id
     LEFT JOIN remote_actors ra ON ra.id = t.remote_author_id
     LEFT JOIN posts p ON p.thread_id = t.id AND p.is_opening
     LEFT JOIN circles c ON c.id = t.circle_id
     ${readMarkJoins('$4::int')}
     ${PARTICIPANTS}
     WHERE ${filter.where} AND ${SHOWN}
     ORDER BY t.last_activity_at DESC, t.id DESC
     LIMIT $2 OFFSET $3`,
    [filter.param, size, (page - 1) * size, viewerId],
  );
  return {
    items: rows.map((r) => ({
      ...toThread(r),
      contentWarning: r.content_warning,
      excerptHtml: r.state === 'visible' ? r.html : '',
      circleSlug: r.circle_slug,
      circleName: r.circle_name,
      participants: participantsOf(r.people),
      unread: r.unread === true,
    })),
    page,
    pageCount: pageCountFor(total, size),
    total,
  };
}

export async function setThreadResolved(q: Queryable, threadId: number, at: Date | null): Promise<void> {
  await q.query('UPDATE threads SET resolved_at = $2 WHERE id = $1', [threadId, at]);
}

/**
 * Threads nobody has replied to yet, opened since `since`, oldest first (the
 * longest waiting), in circles this viewer may see; resolved ones left out.
 */
export async function listWaitingThreads(q: Queryable, o: { since: Date; viewerId: number | null; limit: number }): Promise<WaitingThread[]> {
  const rows = await q.query<{ id: number; title: string; slug: string; name: string; content_warning: string | null; created_at: Date }>(
    `SELECT t.id, t.title, c.slug, c.name, p.content_warning, t.created_at
     FROM threads t
     JOIN circles c ON c.id = t.circle_id
     JOIN posts p ON p.thread_id = t.id AND p.is_opening
     WHERE t.resolved_at IS NULL AND t.created_at >= $1
       -- Replies waiting for a moderator (or hidden) don't answer anyone yet.
       AND NOT EXISTS (SELECT 1 FROM posts r WHERE r.thread_id = t.id AND NOT r.is_opening AND r.state = 'visible')
       AND p.state = 'visible' AND (c.visibility = 'public' OR EXISTS (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.id AND cm.member_id = $2::int))
     ORDER BY t.created_at, t.id
     LIMIT $3`,
    [o.since, o.viewerId, o.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    circleSlug: r.slug,
    circleName: r.name,
    contentWarning: r.content_warning,
    createdAt: r.created_at,
  }));
}
