import type { NewNotification, NotificationKind, NotificationRow } from '../../domain/notifications/notification.js';

export type { NotificationRow };
import type { Queryable } from '../database.js';

/** Writes one notification (inside the caller's transaction); returns its id, or null when the member was already told (a job run again). */
export async function insertNotification(q: Queryable, n: NewNotification, visibleFrom: Date, createdAt: Date = visibleFrom): Promise<number | null> {
  const ids = await insertNotifications(q, [{ ...n, visibleFrom }], createdAt);
  return ids[0] ?? null;
}

/** Writes several notifications in one statement; a member already told of the same post (or reaction) is skipped. Returns the new ids. */
export async function insertNotifications(q: Queryable, list: Array<NewNotification & { visibleFrom: Date }>, createdAt: Date): Promise<number[]> {
  if (list.length === 0) return [];
  const col = <T>(f: (n: NewNotification & { visibleFrom: Date }) => T) => list.map(f);
  const rows = await q.query<{ id: string }>(
    `INSERT INTO notifications (member_id, kind, actor_member_id, actor_remote_id, circle_id, thread_id, post_id, link, details, visible_from, created_at)
     SELECT u.member_id, u.kind, u.actor_member_id, u.actor_remote_id, u.circle_id, u.thread_id, u.post_id, u.link, u.details::jsonb, u.visible_from, $11
     FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::timestamptz[])
       AS u (member_id, kind, actor_member_id, actor_remote_id, circle_id, thread_id, post_id, link, details, visible_from)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      col((n) => n.memberId),
      col((n) => n.kind),
      col((n) => n.actorMemberId ?? null),
      col((n) => n.actorRemoteId ?? null),
      col((n) => n.circleId ?? null),
      col((n) => n.threadId ?? null),
      col((n) => n.postId ?? null),
      col((n) => n.link),
      col((n) => JSON.stringify(n.details ?? {})),
      col((n) => n.visibleFrom),
      createdAt,
    ],
  );
  return rows.map((r) => Number(r.id));
}

/** What the notifier needs to know about a recipient: their choices, breaks and whether a block stands between them and the actor. */
export interface RecipientFacts {
  memberId: number;
  active: boolean;
  mutedWords: string[];
  reactions: boolean;
  kindsOff: string[];
  breaks: { quietFrom: number | null; quietTo: number | null; timeZone: string; dailyMinutes: number | null; minutesToday: number } | null;
}

/** One query for many (recipient, actor) pairs. */
export async function recipientFacts(q: Queryable, pairs: Array<{ memberId: number; actorMemberId: number | null }>, at: Date): Promise<Map<string, RecipientFacts>> {
  const rows = await q.query<{
    member_id: number;
    actor_id: number | null;
    status: string;
    muted_words: string[];
    reactions: boolean | null;
    kinds_off: string[] | null;
    quiet_from: number | null;
    quiet_to: number | null;
    time_zone: string | null;
    daily_minutes: number | null;
    minutes_today: number | null;
  }>(
    `SELECT m.id AS member_id, u.actor_id, m.status, m.muted_words, p.reactions, p.kinds_off,
       b.quiet_from, b.quiet_to, b.time_zone, b.daily_minutes,
       (SELECT a.minutes FROM activity_minutes a WHERE b.daily_minutes IS NOT NULL AND a.member_id = m.id AND a.day = ($3::timestamptz AT TIME ZONE b.time_zone)::date) AS minutes_today
     FROM unnest($1::int[], $2::int[]) AS u (member_id, actor_id)
     JOIN members m ON m.id = u.member_id
     LEFT JOIN notification_preferences p ON p.member_id = m.id
     LEFT JOIN break_settings b ON b.member_id = m.id`,
    [pairs.map((p) => p.memberId), pairs.map((p) => p.actorMemberId), at],
  );
  const facts = new Map<string, RecipientFacts>();
  for (const r of rows) {
    facts.set(`${r.member_id}:${r.actor_id ?? ''}`, {
      memberId: r.member_id,
      active: r.status === 'active',
      mutedWords: r.muted_words,
      reactions: r.reactions ?? true,
      kindsOff: r.kinds_off ?? [],
      breaks: r.time_zone === null ? null : { quietFrom: r.quiet_from, quietTo: r.quiet_to, timeZone: r.time_zone, dailyMinutes: r.daily_minutes, minutesToday: r.minutes_today ?? 0 },
    });
  }
  return facts;
}

/** The words of posts that muted words are matched against (title, content warning and text). */
export async function postWords(q: Queryable, postIds: number[]): Promise<Map<number, string>> {
  if (postIds.length === 0) return new Map();
  const rows = await q.query<{ id: number; words: string }>(
    `SELECT p.id, concat_ws(' ', CASE WHEN p.is_opening THEN t.title END, p.content_warning, p.plain_text) AS words
     FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ANY($1::int[])`,
    [postIds],
  );
  return new Map(rows.map((r) => [r.id, r.words]));
}

// ---------------------------------------------------------------- the page

/**
 * Unread items a member can see now, counted as the page shows them
 * (reactions to one post of one kind are one item): the navigation's count,
 * one query on the partial index of unread notifications.
 */
export async function countUnread(q: Queryable, memberId: number, at: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(DISTINCT CASE WHEN kind = 'reaction' THEN 'r:' || post_id || ':' || (details ->> 'reaction') ELSE id::text END)::int AS n
     FROM notifications WHERE member_id = $1 AND read_at IS NULL AND visible_from <= $2`,
    [memberId, at],
  );
  return rows[0]!.n;
}

/**
 * A page of a member's notifications, newest first, reactions to the same
 * post of the same kind grouped into one item. Only what is visible by `at`.
 */
export async function listNotifications(q: Queryable, memberId: number, at: Date, page: number, perPage: number): Promise<{ items: NotificationRow[]; total: number }> {
  const rows = await q.query<{
    id: string;
    kind: NotificationKind;
    link: string;
    details: Record<string, string | number | boolean>;
    created_at: Date;
    visible_from: Date;
    read_at: Date | null;
    post_id: number | null;
    thread_id: number | null;
    thread_title: string | null;
    circle_name: string | null;
    actor_handle: string | null;
    actor_name: string | null;
    remote_handle: string | null;
    remote_host: string | null;
    remote_name: string | null;
    n: number;
    ids: string[];
    total: number;
  }>(
    `WITH mine AS (
       SELECT n.*, CASE WHEN n.kind = 'reaction' THEN 'r:' || n.post_id || ':' || (n.details ->> 'reaction') ELSE 'n:' || n.id END AS grp
       FROM notifications n WHERE n.member_id = $1 AND n.visible_from <= $2
     ), groups AS (
       SELECT grp, max(id) AS id, count(*)::int AS n, array_agg(id ORDER BY id DESC) AS ids, bool_and(read_at IS NOT NULL) AS all_read, max(visible_from) AS seen_from
       FROM mine GROUP BY grp
     )
     SELECT n.id, n.kind, n.link, n.details, n.created_at, g.seen_from AS visible_from,
       CASE WHEN g.all_read THEN n.read_at END AS read_at, n.post_id, n.thread_id,
       t.title AS thread_title, COALESCE(c.name, rc.name) AS circle_name,
       m.handle AS actor_handle, m.display_name AS actor_name, ra.handle AS remote_handle, ra.host AS remote_host, ra.display_name AS remote_name,
       g.n, g.ids, count(*) OVER ()::int AS total
     FROM groups g JOIN notifications n ON n.id = g.id
     LEFT JOIN threads t ON t.id = n.thread_id
     LEFT JOIN circles c ON c.id = COALESCE(n.circle_id, t.circle_id)
     LEFT JOIN remote_circles rc ON rc.id = t.remote_circle_id
     LEFT JOIN members m ON m.id = n.actor_member_id
     LEFT JOIN remote_actors ra ON ra.id = n.actor_remote_id
     ORDER BY g.seen_from DESC, g.id DESC
     LIMIT $3 OFFSET $4`,
    [memberId, at, perPage, (page - 1) * perPage],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      link: r.link,
      details: r.details,
      createdAt: r.created_at,
      visibleFrom: r.visible_from,
      readAt: r.read_at,
      postId: r.post_id,
      threadId: r.thread_id,
      threadTitle: r.thread_title,
      circleName: r.circle_name,
      actor: r.actor_handle
        ? { handle: r.actor_handle, displayName: r.actor_name ?? '' }
        : r.remote_handle
          ? { handle: `${r.remote_handle}@${r.remote_host}`, displayName: r.remote_name ?? '' }
          : null,
      count: r.n,
      ids: r.ids.map(Number),
    })),
  };
}

/** One of a member's notifications (with the reactions grouped with it). */
export async function findNotification(q: Queryable, memberId: number, id: number): Promise<{ id: number; link: string; group: number[] } | undefined> {
  const rows = await q.query<{ id: string; link: string; group_ids: string[] }>(
    `SELECT n.id, n.link,
       CASE WHEN n.kind = 'reaction' THEN ARRAY(SELECT o.id FROM notifications o WHERE o.member_id = n.member_id AND o.kind = 'reaction' AND o.post_id = n.post_id AND o.details ->> 'reaction' = n.details ->> 'reaction')
            ELSE ARRAY[n.id] END AS group_ids
     FROM notifications n WHERE n.member_id = $1 AND n.id = $2`,
    [memberId, id],
  );
  const r = rows[0];
  return r && { id: Number(r.id), link: r.link, group: r.group_ids.map(Number) };
}

/** Marks notifications read (or unread again); only the member's own. */
export async function setRead(q: Queryable, memberId: number, ids: number[], readAt: Date | null): Promise<void> {
  await q.query('UPDATE notifications SET read_at = $3 WHERE member_id = $1 AND id = ANY($2::bigint[])', [memberId, ids, readAt]);
}

/** Marks everything the member can see read. */
export async function markAllRead(q: Queryable, memberId: number, at: Date): Promise<number> {
  const rows = await q.query<{ id: string }>('UPDATE notifications SET read_at = $2 WHERE member_id = $1 AND read_at IS NULL AND visible_from <= $2 RETURNING id', [memberId, at]);
  return rows.length;
}

/** Removes read notifications read before `before`. */
export async function pruneRead(q: Queryable, before: Date): Promise<number> {
  const rows = await q.query<{ id: string }>('DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1 RETURNING id', [before]);
  return rows.length;
}

/** A reaction taken back: its notification goes too, unless already read. */
export async function removeReactionNotification(q: Queryable, postId: number, actorMemberId: number, reaction: string): Promise<void> {
  await q.query(
    `DELETE FROM notifications WHERE kind = 'reaction' AND post_id = $1 AND actor_member_id = $2 AND details ->> 'reaction' = $3 AND read_at IS NULL`,
    [postId, actorMemberId, reaction],
  );
}

// ---------------------------------------------------------------- preferences

export async function findPreferences(q: Queryable, memberId: number): Promise<{ reactions: boolean; kindsOff: string[] }> {
  const rows = await q.query<{ reactions: boolean; kinds_off: string[] }>('SELECT reactions, kinds_off FROM notification_preferences WHERE member_id = $1', [memberId]);
  return { reactions: rows[0]?.reactions ?? true, kindsOff: rows[0]?.kinds_off ?? [] };
}

export async function savePreferences(q: Queryable, memberId: number, p: { reactions: boolean; kindsOff: string[] }, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO notification_preferences (member_id, reactions, kinds_off, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id) DO UPDATE SET reactions = EXCLUDED.reactions, kinds_off = EXCLUDED.kinds_off, updated_at = EXCLUDED.updated_at`,
    [memberId, p.reactions, p.kindsOff, at],
  );
}
