import type { NewNotification } from '../../domain/notifications/notification.js';
import type { Queryable } from '../database.js';

/** Writes one notification (inside the caller's transaction); returns its id. */
export async function insertNotification(q: Queryable, n: NewNotification, visibleFrom: Date): Promise<number> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO notifications (member_id, kind, actor_member_id, actor_remote_id, circle_id, thread_id, post_id, link, details, visible_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`,
    [
      n.memberId,
      n.kind,
      n.actorMemberId ?? null,
      n.actorRemoteId ?? null,
      n.circleId ?? null,
      n.threadId ?? null,
      n.postId ?? null,
      n.link,
      JSON.stringify(n.details ?? {}),
      visibleFrom,
    ],
  );
  return Number(rows[0]!.id);
}
