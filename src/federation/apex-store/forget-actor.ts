import type { Queryable } from '../../storage/database.js';

/**
 * Takes a local actor who left out of apex's store: the actor document (with
 * its private key), everything it did (its Creates, Likes, Follows) and
 * everything about those or about its posts (the circles' Announces that
 * embed them), and its own collections (inbox, followers…): activities that
 * were only there go, others only leave those collections. Deliveries still
 * waiting that carry its IRI (an earlier Create, say) are dropped. Run it
 * inside the deletion's transaction, before queueing the farewell Deletes.
 */
export async function forgetActor(q: Queryable, actorIri: string, postIris: readonly string[]): Promise<void> {
  await q.query(
    `DELETE FROM ap_activities
     WHERE object_ids && (ARRAY(SELECT id FROM ap_activities WHERE $1 = ANY (actor_ids)) || $2::text[])`,
    [actorIri, postIris],
  );
  await q.query('DELETE FROM ap_activities WHERE $1 = ANY (actor_ids)', [actorIri]);
  const prefix = `${actorIri}/`;
  const own = 'EXISTS (SELECT 1 FROM unnest(collections) AS c WHERE left(c, length($1)) = $1)';
  const others = 'EXISTS (SELECT 1 FROM unnest(collections) AS c WHERE left(c, length($1)) <> $1)';
  await q.query(`DELETE FROM ap_activities WHERE ${own} AND NOT ${others}`, [prefix]);
  await q.query(
    `UPDATE ap_activities a SET collections = k.kept, meta = jsonb_set(a.meta, '{collection}', to_jsonb(k.kept))
     FROM (SELECT seq, ARRAY(SELECT c FROM unnest(collections) AS c WHERE left(c, length($1)) <> $1) AS kept
           FROM ap_activities WHERE ${own}) AS k
     WHERE a.seq = k.seq`,
    [prefix],
  );
  await q.query(
    `DELETE FROM ap_objects WHERE id = $1 OR id = ANY ($2::text[]) OR jsonb_exists(COALESCE(doc->'attributedTo', '[]'::jsonb), $1)`,
    [actorIri, postIris],
  );
  await q.query(
    `DELETE FROM ap_deliveries d WHERE d.actor_id = $1 OR position($2 in d.body) > 0
       OR d.body_id IN (SELECT b.id FROM ap_delivery_bodies b WHERE b.actor_id = $1 OR position($2 in b.body) > 0)`,
    [actorIri, JSON.stringify(actorIri)],
  );
  await q.query(
    `DELETE FROM ap_delivery_bodies b WHERE (b.actor_id = $1 OR position($2 in b.body) > 0)
       AND NOT EXISTS (SELECT 1 FROM ap_deliveries d WHERE d.body_id = b.id)`,
    [actorIri, JSON.stringify(actorIri)],
  );
}
