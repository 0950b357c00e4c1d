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

/** Removes a remote reaction, only if `actorIri` gave it. */
export async function deleteRemoteReaction(q: Queryable, apId: string, actorIri: string): Promise<boolean> {
  const rows = await q.query(
    `DELETE FROM reactions r USING remote_actors a
     WHERE r.ap_id = $1 AND r.remote_actor_id = a.id AND a.iri = $2 RETURNING r.id`,
    [apId, actorIri],
  );
  return rows.length === 1;
}

/** Counts per kind for each of the given posts (only kinds someone gave). */
export async function reactionCounts(q: Queryable, postIds: number[]): Promise<Map<number, ReactionCount[]>> {
  const result = new Map<number, ReactionCount[]>();
  if (postIds.length === 0) return result;
  const rows = await q.query<{ post_id: number; kind: ReactionKind; n: number }>(
    'SELECT post_id, kind, count(*)::int AS n FROM reactions WHERE post_id = ANY ($1::int[]) GROUP BY post_id, kind',
    [postIds],
  );
  for (const r of REACTIONS) {
    for (const row of rows.filter((x) => x.kind === r.kind)) {
      const list = result.get(row.post_id) ?? [];
      list.push({ kind: r.kind, label: r.label, count: row.n });
      result.set(row.post_id, list);
    }
  }
  return result;
}
