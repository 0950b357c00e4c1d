import { REACTIONS, type ReactionCount, type ReactionKind } from '../../domain/reactions/reaction.js';
import type { Queryable } from '../database.js';

export async function insertRemoteReaction(
  q: Queryable,
  r: { postId: number; kind: ReactionKind; remoteActorId: number; apId: string },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO reactions (post_id, kind, remote_actor_id, ap_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING id`,
    [r.postId, r.kind, r.remoteActorId, r.apId],
  );
  return rows.length === 1;
}

/** Whether `actorIri` gave the remote reaction with this ActivityPub id. */
export async function remoteReactionExists(q: Queryable, apId: string, actorIri: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM reactions r JOIN remote_actors a ON a.id = r.remote_actor_id WHERE r.ap_id = $1 AND a.iri = $2', [apId, actorIri]);
  return rows.length > 0;
}

/** Removes a remote reaction, only if `actorIri` gave it. */
/** Takes back a Like from elsewhere; the post it was on, or undefined when there was none. */
export async function deleteRemoteReaction(q: Queryable, apId: string, actorIri: string): Promise<number | undefined> {
  const rows = await q.query<{ post_id: number }>(
    `DELETE FROM reactions r USING remote_actors a
     WHERE r.ap_id = $1 AND r.remote_actor_id = a.id AND a.iri = $2 RETURNING r.post_id`,
    [apId, actorIri],
  );
  return rows[0]?.post_id;
}

/** Counts per kind for each of the given posts (only kinds someone gave). */
export async function reactionCounts(q: Queryable, postIds: number[], viewerId?: number): Promise<Map<number, ReactionCount[]>> {
  const result = new Map<number, ReactionCount[]>();
  if (postIds.length === 0) return result;
  // With a viewer, whether they gave each one too (one statement for both).
  const rows = await q.query<{ post_id: number; kind: ReactionKind; n: number; given: boolean }>(
    `SELECT post_id, kind, count(*)::int AS n, COALESCE(bool_or(member_id = $2), false) AS given
       FROM reactions WHERE post_id = ANY ($1::int[]) GROUP BY post_id, kind`,
    [postIds, viewerId ?? null],
  );
  for (const r of REACTIONS) {
    for (const row of rows.filter((x) => x.kind === r.kind)) {
      const list = result.get(row.post_id) ?? [];
      list.push({ kind: r.kind, label: r.label, count: row.n, ...(viewerId === undefined ? {} : { given: row.given }) });
      result.set(row.post_id, list);
    }
  }
  return result;
}

/** A member's reaction; returns false when they had already given it. */
export async function insertMemberReaction(q: Queryable, r: { postId: number; kind: ReactionKind; memberId: number }): Promise<boolean> {
  const rows = await q.query(
    'INSERT INTO reactions (post_id, kind, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id',
    [r.postId, r.kind, r.memberId],
  );
  return rows.length === 1;
}

export async function deleteMemberReaction(q: Queryable, r: { postId: number; kind: ReactionKind; memberId: number }): Promise<boolean> {
  const rows = await q.query('DELETE FROM reactions WHERE post_id = $1 AND kind = $2 AND member_id = $3 RETURNING id', [r.postId, r.kind, r.memberId]);
  return rows.length === 1;
}

/** Which reactions this member gave on these posts: "postId:kind" keys. */
export async function reactionsGivenBy(q: Queryable, memberId: number, postIds: number[]): Promise<Set<string>> {
  if (postIds.length === 0) return new Set();
  const rows = await q.query<{ post_id: number; kind: string }>(
    'SELECT post_id, kind FROM reactions WHERE member_id = $1 AND post_id = ANY ($2::int[])',
    [memberId, postIds],
  );
  return new Set(rows.map((r) => `${r.post_id}:${r.kind}`));
}
