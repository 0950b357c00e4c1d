import type { AccountDeletion, PostsChoice } from '../../domain/leaving/leaving.js';
import type { Queryable } from '../database.js';

/*
 * The right to leave: what a member's export reads, the record of an account
 * deletion, and the steps that carry it out. Every function that changes
 * something is meant to run inside the deletion's transaction.
 */

// ---- The export: everything that refers to one member ----------------------

/** A timestamp inside JSON built by the database, as JavaScript writes dates (UTC, ISO 8601). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function exportProfile(q: Queryable, memberId: number): Promise<Record<string, unknown> | undefined> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT handle, display_name AS "displayName", pronouns, bio, email, role, status, created_at AS "createdAt", time_zone AS "timeZone",
       json_build_object('contentWarnings', cw_display, 'mutedWords', muted_words) AS preferences,
       json_build_object('profileListed', profile_listed, 'sharePostsWithOtherServers', federate_posts, 'suggestedByOtherServers', discoverable, 'searchableOnOtherServers', indexable) AS privacy
     FROM members WHERE id = $1`,
    [memberId],
  );
  return rows[0];
}

/** Every post the member wrote, here or in circles followed elsewhere, with every earlier version. */
export async function exportPosts(q: Queryable, memberId: number): Promise<Array<Record<string, unknown>>> {
  return q.query<Record<string, unknown>>(
    `SELECT p.id, p.is_opening AS "opensThread",
       json_build_object('id', t.id, 'title', t.title) AS thread,
       CASE WHEN c.id IS NOT NULL THEN json_build_object('slug', c.slug, 'name', c.name, 'visibility', c.visibility)
            ELSE json_build_object('name', rc.name, 'address', rc.handle || '@' || rc.host, 'link', rc.iri) END AS circle,
       p.source AS "sourceMarkdown", p.html AS "renderedHtml", p.content_warning AS "contentWarning", p.state,
       p.created_at AS "createdAt", p.edited_at AS "editedAt", p.deleted_at AS "deletedAt",
       COALESCE((SELECT json_agg(json_build_object('title', r.title, 'sourceMarkdown', r.source, 'contentWarning', r.content_warning,
                   'writtenAt', ${iso('r.written_at')}, 'replacedAt', ${iso('r.replaced_at')}) ORDER BY r.id)
                 FROM post_revisions r WHERE r.post_id = p.id), '[]'::json) AS "earlierVersions"
     FROM posts p
     JOIN threads t ON t.id = p.thread_id
     LEFT JOIN circles c ON c.id = t.circle_id
     LEFT JOIN remote_circles rc ON rc.id = t.remote_circle_id
     WHERE p.author_id = $1
     ORDER BY p.created_at, p.id`,
    [memberId],
  );
}

export async function exportThreadsStarted(q: Queryable, memberId: number): Promise<Array<Record<string, unknown>>> {
  return q.query<Record<string, unknown>>(
    `SELECT t.id, t.title, c.slug AS circle, t.reply_count AS replies, t.created_at AS "createdAt",
       t.resolved_at AS "saidOkayAt"
     FROM threads t LEFT JOIN circles c ON c.id = t.circle_id
     WHERE t.author_id = $1 ORDER BY t.created_at, t.id`,
    [memberId],
  );
}

export async function exportReactions(q: Queryable, memberId: number): Promise<Array<{ postId: number; threadTitle: string; kind: string; givenAt: Date }>> {
  return q.query(
    `SELECT r.post_id AS "postId", t.title AS "threadTitle", r.kind, r.created_at AS "givenAt"
     FROM reactions r JOIN posts p ON p.id = r.post_id JOIN threads t ON t.id = p.thread_id
     WHERE r.member_id = $1 ORDER BY r.created_at, r.id`,
    [memberId],
  );
}

export async function exportFollowedCircles(q: Queryable, memberId: number): Promise<Array<Record<string, unknown>>> {
  return q.query<Record<string, unknown>>(
    `SELECT rc.name, rc.handle || '@' || rc.host AS address, rc.iri AS link, f.state, f.created_at AS "followedAt"
     FROM remote_circle_follows f JOIN remote_circles rc ON rc.id = f.remote_circle_id
     WHERE f.member_id = $1 ORDER BY f.created_at`,
    [memberId],
  );
}

/** Invites the member made (who used them is someone else's business: only whether and when) and the one they joined with. */
export async function exportInvites(q: Queryable, memberId: number): Promise<Record<string, unknown>> {
  const made = await q.query<Record<string, unknown>>(
    `SELECT code, note, created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"
     FROM invites WHERE created_by = $1 ORDER BY created_at`,
    [memberId],
  );
  const joinedWith = await q.query<Record<string, unknown>>('SELECT used_at AS "usedAt" FROM invites WHERE used_by = $1', [memberId]);
  return { made, joinedWith: joinedWith[0] ?? null };
}

export async function exportCirclesOpened(q: Queryable, memberId: number): Promise<Array<Record<string, unknown>>> {
  return q.query<Record<string, unknown>>(
    'SELECT slug, name, visibility, created_at AS "createdAt" FROM circles WHERE created_by = $1 ORDER BY created_at',
    [memberId],
  );
}

// ---- The record of a deletion ----------------------------------------------

interface DeletionRow {
  handle: string;
  member_id: number | null;
  posts: PostsChoice;
  requested_at: Date;
  completed_at: Date | null;
  attempts: number;
  last_error: string | null;
}

const toDeletion = (r: DeletionRow): AccountDeletion => ({
  handle: r.handle,
  memberId: r.member_id,
  posts: r.posts,
  requestedAt: r.requested_at,
  completedAt: r.completed_at,
  attempts: r.attempts,
  lastError: r.last_error,
});

export async function findDeletionByHandle(q: Queryable, handle: string): Promise<AccountDeletion | undefined> {
  const rows = await q.query<DeletionRow>('SELECT * FROM account_deletions WHERE handle = $1', [handle]);
  return rows[0] && toDeletion(rows[0]);
}

export async function findDeletionByMember(q: Queryable, memberId: number): Promise<AccountDeletion | undefined> {
  const rows = await q.query<DeletionRow>('SELECT * FROM account_deletions WHERE member_id = $1', [memberId]);
  return rows[0] && toDeletion(rows[0]);
}

/** Returns false when a deletion was already recorded for this handle. */
export async function insertDeletion(q: Queryable, d: { handle: string; memberId: number; posts: PostsChoice; at: Date }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO account_deletions (handle, member_id, posts, requested_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING handle`,
    [d.handle, d.memberId, d.posts, d.at],
  );
  return rows.length === 1;
}

export async function listPendingDeletions(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ handle: string }>('SELECT handle FROM account_deletions WHERE completed_at IS NULL ORDER BY requested_at');
  return rows.map((r) => r.handle);
}

/** The pending deletion, locked for this transaction; undefined when done or being done by another process. */
export async function lockPendingDeletion(q: Queryable, handle: string): Promise<AccountDeletion | undefined> {
  const rows = await q.query<DeletionRow>(
    'SELECT * FROM account_deletions WHERE handle = $1 AND completed_at IS NULL FOR UPDATE SKIP LOCKED',
    [handle],
  );
  return rows[0] && toDeletion(rows[0]);
}

export async function completeDeletion(q: Queryable, handle: string, at: Date): Promise<void> {
  await q.query('UPDATE account_deletions SET completed_at = $2, last_error = NULL WHERE handle = $1', [handle, at]);
}

export async function recordDeletionFailure(q: Queryable, handle: string, error: string): Promise<void> {
  await q.query('UPDATE account_deletions SET attempts = attempts + 1, last_error = $2 WHERE handle = $1', [handle, error.slice(0, 500)]);
}

// ---- Carrying it out -------------------------------------------------------

/** Every login of the member ends: sessions keep passport's user id in their data. */
export async function deleteSessionsOf(q: Queryable, memberId: number): Promise<number> {
  const rows = await q.query("DELETE FROM sessions WHERE data->'passport'->>'user' = $1 RETURNING sid", [String(memberId)]);
  return rows.length;
}

/**
 * How many other active stewards remain, none of them leaving. With `lock`
 * (inside a transaction), steward rows are locked first, so two stewards
 * leaving at once cannot both count on the other.
 */
export async function otherRemainingStewards(q: Queryable, memberId: number, lock: boolean): Promise<number> {
  if (lock) await q.query("SELECT id FROM members WHERE role = 'steward' AND status = 'active' FOR UPDATE");
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM members m
     WHERE m.role = 'steward' AND m.status = 'active' AND m.id <> $1
       AND NOT EXISTS (SELECT 1 FROM account_deletions d WHERE d.member_id = m.id)`,
    [memberId],
  );
  return rows[0]!.n;
}

/**
 * "Remove my posts": as an author's own delete (markPostDeleted), for every
 * post at once: words and earlier versions gone, a placeholder stays, and the
 * threads they opened lose their title but keep everyone else's replies.
 */
export async function removePostsOf(q: Queryable, memberId: number, at: Date, deletedTitle: string): Promise<number[]> {
  await q.query('DELETE FROM post_revisions WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)', [memberId]);
  await q.query(
    `UPDATE threads SET title = $2
     WHERE id IN (SELECT thread_id FROM posts WHERE author_id = $1 AND is_opening AND state <> 'deleted')`,
    [memberId, deletedTitle],
  );
  const rows = await q.query<{ id: number }>(
    `UPDATE posts SET state = 'deleted', source = '', html = '', content_warning = NULL, deleted_at = COALESCE(deleted_at, $2)
     WHERE author_id = $1 RETURNING id`,
    [memberId, at],
  );
  return rows.map((r) => r.id);
}

/** "Keep my posts without my name": their words stay as they last left them; earlier versions go. */
export async function dropRevisionsOf(q: Queryable, memberId: number): Promise<void> {
  await q.query('DELETE FROM post_revisions WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)', [memberId]);
}

/** Invites nobody has used yet stop working; used ones stay (without their maker) so stewards still see how people joined. */
export async function revokeUnusedInvites(q: Queryable, memberId: number): Promise<void> {
  await q.query('DELETE FROM invites WHERE created_by = $1 AND used_at IS NULL', [memberId]);
}

/**
 * Removes the member row. Foreign keys do the rest: posts, threads, circles
 * and invites keep existing without an author (ON DELETE SET NULL); reactions
 * and followed circles go with it (CASCADE). The handle stays in `handles`.
 */
export async function removeMemberRow(q: Queryable, memberId: number): Promise<void> {
  await q.query('DELETE FROM reactions WHERE member_id = $1', [memberId]);
  await q.query('DELETE FROM remote_circle_follows WHERE member_id = $1', [memberId]);
  await q.query('DELETE FROM members WHERE id = $1', [memberId]);
}

// ---- What other servers were told, so they can be told of the leaving ------

export interface FarewellPost {
  id: number;
  state: string;
  /** A local circle (slug and visibility), or null for a reply to a circle elsewhere. */
  circleSlug: string | null;
  circleVisibility: string | null;
  remoteCircleIri: string | null;
  remoteCircleInbox: string | null;
}

export async function postsForFarewell(q: Queryable, memberId: number): Promise<FarewellPost[]> {
  const rows = await q.query<{
    id: number;
    state: string;
    slug: string | null;
    visibility: string | null;
    rc_iri: string | null;
    rc_inbox: string | null;
  }>(
    `SELECT p.id, p.state, c.slug, c.visibility, rc.iri AS rc_iri, COALESCE(rc.shared_inbox, rc.inbox) AS rc_inbox
     FROM posts p JOIN threads t ON t.id = p.thread_id
     LEFT JOIN circles c ON c.id = t.circle_id
     LEFT JOIN remote_circles rc ON rc.id = t.remote_circle_id
     WHERE p.author_id = $1 ORDER BY p.id`,
    [memberId],
  );
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    circleSlug: r.slug,
    circleVisibility: r.visibility,
    remoteCircleIri: r.rc_iri,
    remoteCircleInbox: r.rc_inbox,
  }));
}

/** People elsewhere who replied in threads the member wrote in, or whose posts the member reacted to. */
export async function remoteActorsAround(q: Queryable, memberId: number): Promise<string[]> {
  const rows = await q.query<{ iri: string }>(
    `SELECT DISTINCT ra.iri FROM remote_actors ra
     WHERE ra.id IN (SELECT p.remote_author_id FROM posts p
                     WHERE p.thread_id IN (SELECT thread_id FROM posts WHERE author_id = $1))
        OR ra.id IN (SELECT t.remote_author_id FROM threads t
                     WHERE t.id IN (SELECT thread_id FROM posts WHERE author_id = $1))
        OR ra.id IN (SELECT p.remote_author_id FROM reactions r JOIN posts p ON p.id = r.post_id WHERE r.member_id = $1)
     ORDER BY ra.iri`,
    [memberId],
  );
  return rows.map((r) => r.iri);
}

/** Circles elsewhere the member follows (with the Follow to undo) or replied in. */
export async function remoteCirclesAround(q: Queryable, memberId: number): Promise<Array<{ iri: string; inbox: string; followIri: string | null }>> {
  const rows = await q.query<{ iri: string; inbox: string; follow_iri: string | null }>(
    `SELECT rc.iri, COALESCE(rc.shared_inbox, rc.inbox) AS inbox, f.follow_iri
     FROM remote_circles rc
     LEFT JOIN remote_circle_follows f ON f.remote_circle_id = rc.id AND f.member_id = $1
     WHERE f.member_id IS NOT NULL
        OR rc.id IN (SELECT t.remote_circle_id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.author_id = $1)
     ORDER BY rc.iri`,
    [memberId],
  );
  return rows.map((r) => ({ iri: r.iri, inbox: r.inbox, followIri: r.follow_iri }));
}

/**
 * Handles of members who have left whose key pair is still kept, and who no
 * longer have any delivery waiting (sent, or given up): their keys can go.
 */
export async function departedWithSpentKeys(q: Queryable, memberIriPrefix: string): Promise<string[]> {
  const rows = await q.query<{ handle: string }>(
    `SELECT d.handle FROM account_deletions d
     JOIN actor_keys k ON k.owner = 'u:' || d.handle
     WHERE d.completed_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ap_deliveries q WHERE q.actor_id = $1 || d.handle)`,
    [memberIriPrefix],
  );
  return rows.map((r) => r.handle);
}
