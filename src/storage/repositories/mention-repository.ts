import type { Queryable } from '../database.js';

/**
 * Records who a post mentions (in the post's own transaction). Mentions
 * already recorded for the post stay as they are; what is returned is only
 * the newly recorded ones (after an edit: the people to tell, not again the others).
 */
export async function insertMentions(
  q: Queryable,
  postId: number,
  mentions: { memberIds: number[]; remoteActorIris: string[] },
): Promise<{ memberIds: number[]; remoteActorIris: string[] }> {
  const added = { memberIds: [] as number[], remoteActorIris: [] as string[] };
  if (mentions.memberIds.length > 0) {
    const rows = await q.query<{ member_id: number }>(
      `INSERT INTO post_mentions (post_id, member_id) SELECT $1, m FROM unnest($2::int[]) AS m ON CONFLICT DO NOTHING RETURNING member_id`,
      [postId, mentions.memberIds],
    );
    added.memberIds = rows.map((r) => r.member_id);
  }
  if (mentions.remoteActorIris.length > 0) {
    const rows = await q.query<{ remote_actor_iri: string }>(
      `INSERT INTO post_mentions (post_id, remote_actor_iri) SELECT $1, i FROM unnest($2::text[]) AS i ON CONFLICT DO NOTHING RETURNING remote_actor_iri`,
      [postId, mentions.remoteActorIris],
    );
    added.remoteActorIris = rows.map((r) => r.remote_actor_iri);
  }
  return added;
}

/** The members of this instance a post mentions. */
export async function mentionedMemberIds(q: Queryable, postId: number): Promise<number[]> {
  const rows = await q.query<{ member_id: number }>(
    'SELECT member_id FROM post_mentions WHERE post_id = $1 AND member_id IS NOT NULL ORDER BY member_id',
    [postId],
  );
  return rows.map((r) => r.member_id);
}

/** The people on other servers a post mentions (their actors' IRIs). */
export async function mentionedRemoteIris(q: Queryable, postId: number): Promise<string[]> {
  const rows = await q.query<{ remote_actor_iri: string }>(
    'SELECT remote_actor_iri FROM post_mentions WHERE post_id = $1 AND remote_actor_iri IS NOT NULL ORDER BY remote_actor_iri',
    [postId],
  );
  return rows.map((r) => r.remote_actor_iri);
}

/** The handles of the members of this instance a post mentions (for its Mention tags). */
export async function mentionedMemberHandles(q: Queryable, postId: number): Promise<string[]> {
  const rows = await q.query<{ handle: string }>(
    'SELECT m.handle FROM post_mentions pm JOIN members m ON m.id = pm.member_id WHERE pm.post_id = $1 ORDER BY m.handle',
    [postId],
  );
  return rows.map((r) => r.handle);
}
