import type { Page, Post, PostRevision, PostState } from '../../domain/threads/thread.js';
import { pageCountFor } from '../../domain/threads/thread.js';
import { avatarPath } from '../../domain/members/member.js';
import type { Queryable } from '../database.js';

interface PostRow {
  id: number;
  thread_id: number;
  author_id: number | null;
  author_handle: string | null;
  author_display_name: string | null;
  author_avatar_version: string | null;
  remote_iri: string | null;
  remote_handle: string | null;
  remote_host: string | null;
  remote_display_name: string | null;
  remote_profile_url: string | null;
  remote_avatar_url: string | null;
  ap_id: string | null;
  is_opening: boolean;
  source: string;
  html: string;
  plain_text: string | null;
  content_warning: string | null;
  language: string | null;
  state: PostState;
  held_reason: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  revision_count: number;
}

const COLUMNS = `p.id, p.thread_id, p.author_id, m.handle AS author_handle, m.display_name AS author_display_name, m.avatar_version AS author_avatar_version,
  ra.iri AS remote_iri, ra.handle AS remote_handle, ra.host AS remote_host, ra.display_name AS remote_display_name,
  ra.profile_url AS remote_profile_url, ra.avatar_url AS remote_avatar_url, p.ap_id,
  p.is_opening, p.source, p.html, p.plain_text, p.content_warning, p.language, p.state, p.held_reason, p.created_at, p.edited_at, p.deleted_at,
  (SELECT count(*)::int FROM post_revisions r WHERE r.post_id = p.id) AS revision_count`;

function toPost(r: PostRow): Post {
  return {
    id: r.id,
    threadId: r.thread_id,
    authorId: r.author_id,
    author: r.author_handle
      ? { handle: r.author_handle, displayName: r.author_display_name ?? '', avatarUrl: avatarPath(r.author_handle, r.author_avatar_version) }
      : null,
    remoteAuthor: r.remote_iri
      ? {
          iri: r.remote_iri,
          handle: `${r.remote_handle}@${r.remote_host}`,
          displayName: r.remote_display_name ?? '',
          profileUrl: r.remote_profile_url ?? r.remote_iri,
          avatarUrl: r.remote_avatar_url,
        }
      : null,
    apId: r.ap_id,
    isOpening: r.is_opening,
    source: r.source,
    html: r.html,
    plainText: r.plain_text ?? '',
    contentWarning: r.content_warning,
    language: r.language,
    state: r.state,
    heldReason: r.held_reason,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    revisionCount: r.revision_count,
  };
}

export interface NewPost {
  threadId: number;
  authorId: number;
  isOpening: boolean;
  source: string;
  html: string;
  contentWarning: string | null;
  /** The language it is written in (a primary tag), or null. */
  language: string | null;
  at: Date;
  /** 'held' when the post waits for a moderator. */
  state?: 'visible' | 'held';
  /** Why it waits, for its author. */
  heldReason?: string | null;
}

export async function insertPost(q: Queryable, p: NewPost): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO posts (thread_id, author_id, is_opening, source, html, content_warning, created_at, state, held_reason, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [p.threadId, p.authorId, p.isOpening, p.source, p.html, p.contentWarning, p.at, p.state ?? 'visible', p.state === 'held' ? (p.heldReason ?? null) : null, p.language],
  );
  return rows[0]!.id;
}

export async function findPost(q: Queryable, id: number): Promise<Post | undefined> {
  const rows = await q.query<PostRow>(
    `SELECT ${COLUMNS} FROM posts p LEFT JOIN members m ON m.id = p.author_id LEFT JOIN remote_actors ra ON ra.id = p.remote_author_id WHERE p.id = $1`,
    [id],
  );
  return rows[0] && toPost(rows[0]);
}

/** A thread's posts in the order they were written, one page at a time. */
export async function listPostsInThread(q: Queryable, threadId: number, page: number, size: number): Promise<Page<Post>> {
  // The thread's whole count comes with the page's rows (one statement); only a page past the end counts on its own.
  const rows = await q.query<PostRow & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM posts p LEFT JOIN members m ON m.id = p.author_id LEFT JOIN remote_actors ra ON ra.id = p.remote_author_id
     WHERE p.thread_id = $1 ORDER BY p.created_at, p.id LIMIT $2 OFFSET $3`,
    [threadId, size, (page - 1) * size],
  );
  const total = rows[0]?.total ?? (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM posts WHERE thread_id = $1', [threadId]))[0]!.n;
  return { items: rows.map(toPost), page, pageCount: pageCountFor(total, size), total };
}

/** How many posts come before this one in its thread (to find its page). */
export async function positionInThread(q: Queryable, post: { id: number; threadId: number; createdAt: Date }): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM posts
     WHERE thread_id = $1 AND (created_at < $2 OR (created_at = $2 AND id < $3))`,
    [post.threadId, post.createdAt, post.id],
  );
  return rows[0]!.n;
}

/** Keeps the current version as a revision, then writes the new one. */
export async function replacePostContent(
  q: Queryable,
  p: { id: number; title: string | null; source: string; html: string; contentWarning: string | null; language: string | null; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO post_revisions (post_id, title, source, content_warning, written_at, replaced_at)
     SELECT p.id, CASE WHEN p.is_opening THEN t.title END, p.source, p.content_warning,
            COALESCE(p.edited_at, p.created_at), $2
     FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = $1`,
    [p.id, p.at],
  );
  await q.query(
    'UPDATE posts SET source = $2, html = $3, content_warning = $4, edited_at = $5, language = $6 WHERE id = $1',
    [p.id, p.source, p.html, p.contentWarning, p.at, p.language],
  );
}

/** The author deleted it: its words and their history are gone, a placeholder stays. */
export async function markPostDeleted(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('DELETE FROM post_revisions WHERE post_id = $1', [id]);
  await q.query(
    "UPDATE posts SET state = 'deleted', source = '', html = '', content_warning = NULL, deleted_at = $2 WHERE id = $1",
    [id, at],
  );
}

export async function listRevisions(q: Queryable, postId: number): Promise<PostRevision[]> {
  const rows = await q.query<{
    id: number;
    title: string | null;
    source: string;
    content_warning: string | null;
    written_at: Date;
    replaced_at: Date;
  }>('SELECT id, title, source, content_warning, written_at, replaced_at FROM post_revisions WHERE post_id = $1 ORDER BY id DESC', [postId]);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    source: r.source,
    contentWarning: r.content_warning,
    writtenAt: r.written_at,
    replacedAt: r.replaced_at,
  }));
}

/** A member's recent visible posts in public circles (their profile page). */
export async function listRecentPublicPostsBy(
  q: Queryable,
  authorId: number,
  limit: number,
): Promise<Array<{ postId: number; threadId: number; threadTitle: string; circleSlug: string; circleName: string; createdAt: Date }>> {
  const rows = await q.query<{
    post_id: number;
    thread_id: number;
    title: string;
    slug: string;
    name: string;
    created_at: Date;
  }>(
    `SELECT p.id AS post_id, t.id AS thread_id, t.title, c.slug, c.name, p.created_at
     FROM posts p JOIN threads t ON t.id = p.thread_id JOIN circles c ON c.id = t.circle_id
     WHERE p.author_id = $1 AND p.state = 'visible' AND c.visibility = 'public'
     ORDER BY p.created_at DESC, p.id DESC LIMIT $2`,
    [authorId, limit],
  );
  return rows.map((r) => ({
    postId: r.post_id,
    threadId: r.thread_id,
    threadTitle: r.title,
    circleSlug: r.slug,
    circleName: r.name,
    createdAt: r.created_at,
  }));
}

export async function findOpeningPostId(q: Queryable, threadId: number): Promise<number | undefined> {
  const rows = await q.query<{ id: number }>('SELECT id FROM posts WHERE thread_id = $1 AND is_opening', [threadId]);
  return rows[0]?.id;
}

/**
 * Ids of a thread's posts that others may see, in order (its ActivityPub
 * context): from other servers, or by members who share their posts (not
 * those kept by a member who left: they are nobody's Note any more).
 */
export async function listVisiblePostIds(q: Queryable, threadId: number, limit: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT p.id FROM posts p LEFT JOIN members m ON m.id = p.author_id
     WHERE p.thread_id = $1 AND p.state = 'visible' AND (p.remote_author_id IS NOT NULL OR m.federate_posts)
     ORDER BY p.created_at, p.id LIMIT $2`,
    [threadId, limit],
  );
  return rows.map((r) => r.id);
}

export interface NewRemotePost {
  threadId: number;
  remoteAuthorId: number;
  apId: string;
  isOpening: boolean;
  html: string;
  contentWarning: string | null;
  /** What its Note said (a primary tag), or null. */
  language: string | null;
  at: Date;
}

/** A post from another server; its source is its sanitised HTML. Returns undefined when already known. */
export async function insertRemotePost(q: Queryable, p: NewRemotePost): Promise<number | undefined> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO posts (thread_id, remote_author_id, ap_id, is_opening, source, html, content_warning, created_at, language)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) ON CONFLICT (ap_id) DO NOTHING RETURNING id`,
    [p.threadId, p.remoteAuthorId, p.apId, p.isOpening, p.html, p.contentWarning, p.at, p.language],
  );
  return rows[0]?.id;
}

export async function findPostIdByApId(q: Queryable, apId: string): Promise<number | undefined> {
  const rows = await q.query<{ id: number }>('SELECT id FROM posts WHERE ap_id = $1', [apId]);
  return rows[0]?.id;
}
