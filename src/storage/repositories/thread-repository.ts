import type { Page, Thread, ThreadSummary, WaitingThread } from '../../domain/threads/thread.js';
import { pageCountFor } from '../../domain/threads/thread.js';
import type { Queryable } from '../database.js';

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

/** A circle's threads, most recent activity first, one page at a time. */
export function listThreadsInCircle(q: Queryable, circleId: number, page: number, size: number): Promise<Page<ThreadSummary>> {
  return listThreads(q, 'circle_id', circleId, page, size);
}

/** The threads Hearth received from a circle followed on another server. */
export function listThreadsInRemoteCircle(q: Queryable, remoteCircleId: number, page: number, size: number): Promise<Page<ThreadSummary>> {
  return listThreads(q, 'remote_circle_id', remoteCircleId, page, size);
}

async function listThreads(
  q: Queryable,
  column: 'circle_id' | 'remote_circle_id',
  circleId: number,
  page: number,
  size: number,
): Promise<Page<ThreadSummary>> {
  // Threads whose opening post waits for review or was hidden by moderators stay out of lists.
  const shown = `NOT EXISTS (SELECT 1 FROM posts hp WHERE hp.thread_id = t.id AND hp.is_opening AND hp.state IN ('held', 'hidden', 'removed'))`;
  const total = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM threads t WHERE t.${column} = $1 AND ${shown}`, [circleId]))[0]!.n;
  const rows = await q.query<ThreadRow & { content_warning: string | null; html: string; state: string }>(
    `SELECT ${COLUMNS}, p.content_warning, p.html, p.state
     FROM threads t
     LEFT JOIN members m ON m.id = t.author_id
     LEFT JOIN remote_actors ra ON ra.id = t.remote_author_id
     LEFT JOIN posts p ON p.thread_id = t.id AND p.is_opening
     WHERE t.${column} = $1 AND ${shown}
     ORDER BY t.last_activity_at DESC, t.id DESC
     LIMIT $2 OFFSET $3`,
    [circleId, size, (page - 1) * size],
  );
  return {
    items: rows.map((r) => ({
      ...toThread(r),
      contentWarning: r.content_warning,
      excerptHtml: r.state === 'visible' ? r.html : '',
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
