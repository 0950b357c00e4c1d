import { isLocale, type Locale } from '../../i18n/locales.js';
import type { Queryable } from '../database.js';

/** All SQL of e-mail (migration 0028): members' addresses and choices, and the durable mail job. */

export interface MailSettingsRow {
  /** The member's address (members.email), verified or not. */
  address: string | null;
  verifiedAddress: string | null;
  verifiedAt: Date | null;
  /** The address a verification link was last sent for, and until when it works. */
  verifyAddress: string | null;
  verifyExpiresAt: Date | null;
  includePrivateText: boolean;
  stoppedAt: Date | null;
  stoppedError: string | null;
}

export async function mailSettingsOf(q: Queryable, memberId: number): Promise<MailSettingsRow> {
  const rows = await q.query<{
    email: string | null;
    verified_address: string | null;
    verified_at: Date | null;
    verify_address: string | null;
    verify_expires_at: Date | null;
    include_private_text: boolean | null;
    stopped_at: Date | null;
    stopped_error: string | null;
  }>(
    `SELECT m.email, s.verified_address, s.verified_at, s.verify_address, s.verify_expires_at, s.include_private_text, s.stopped_at, s.stopped_error
       FROM members m LEFT JOIN mail_settings s ON s.member_id = m.id
      WHERE m.id = $1`,
    [memberId],
  );
  const r = rows[0];
  return {
    address: r?.email ?? null,
    verifiedAddress: r?.verified_address ?? null,
    verifiedAt: r?.verified_at ?? null,
    verifyAddress: r?.verify_address ?? null,
    verifyExpiresAt: r?.verify_expires_at ?? null,
    includePrivateText: r?.include_private_text ?? false,
    stoppedAt: r?.stopped_at ?? null,
    stoppedError: r?.stopped_error ?? null,
  };
}

/** The member's address (the same one the profile settings keep). */
export async function setMemberAddress(q: Queryable, memberId: number, address: string | null): Promise<void> {
  await q.query('UPDATE members SET email = $2 WHERE id = $1', [memberId, address]);
}

/** A new verification link for `address` (only the newest one works). */
export async function startVerification(q: Queryable, memberId: number, address: string, tokenHash: string, expiresAt: Date): Promise<void> {
  await q.query(
    `INSERT INTO mail_settings (member_id, verify_token_hash, verify_address, verify_expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id) DO UPDATE SET verify_token_hash = $2, verify_address = $3, verify_expires_at = $4`,
    [memberId, tokenHash, address, expiresAt],
  );
}

/** Uses a verification link once; returns the member's id, or undefined when the link is unknown, expired or for an address no longer theirs. */
export async function useVerification(q: Queryable, tokenHash: string, now: Date): Promise<number | undefined> {
  const rows = await q.query<{ member_id: number }>(
    `UPDATE mail_settings s
        SET verified_address = s.verify_address, verified_at = $2, verify_token_hash = NULL, verify_address = NULL,
            verify_expires_at = NULL, stopped_at = NULL, stopped_error = NULL
       FROM members m
      WHERE m.id = s.member_id AND s.verify_token_hash = $1 AND s.verify_expires_at > $2 AND lower(s.verify_address) = lower(m.email)
      RETURNING s.member_id`,
    [tokenHash, now],
  );
  const memberId = rows[0]?.member_id;
  if (memberId !== undefined) await mailFromNowOn(q, memberId);
  return memberId;
}

/** Mail starts (again) with the next notification: nothing piled up while it could not be sent comes all at once. */
async function mailFromNowOn(q: Queryable, memberId: number): Promise<void> {
  await q.query('UPDATE mail_choices SET after_notification_id = COALESCE((SELECT max(id) FROM notifications), 0) WHERE member_id = $1', [memberId]);
}

export async function setIncludePrivateText(q: Queryable, memberId: number, include: boolean): Promise<void> {
  await q.query(
    `INSERT INTO mail_settings (member_id, include_private_text) VALUES ($1, $2)
     ON CONFLICT (member_id) DO UPDATE SET include_private_text = $2`,
    [memberId, include],
  );
}

/** Mail to the address stopped working: nothing more is sent until the member starts it again. */
export async function stopMail(q: Queryable, memberId: number, at: Date, error: string): Promise<void> {
  await q.query('UPDATE mail_settings SET stopped_at = $2, stopped_error = $3 WHERE member_id = $1', [memberId, at, error]);
}

export async function restartMail(q: Queryable, memberId: number): Promise<void> {
  await q.query('UPDATE mail_settings SET stopped_at = NULL, stopped_error = NULL WHERE member_id = $1', [memberId]);
  await mailFromNowOn(q, memberId);
}

/** How many members' mail was given up (the Health page). */
export async function countStoppedAddresses(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_settings WHERE stopped_at IS NOT NULL');
  return rows[0]?.n ?? 0;
}

// ---- choices ---------------------------------------------------------------

export async function mailChoicesOf(q: Queryable, memberId: number): Promise<Map<string, string>> {
  const rows = await q.query<{ kind: string; cadence: string }>('SELECT kind, cadence FROM mail_choices WHERE member_id = $1', [memberId]);
  return new Map(rows.map((r) => [r.kind, r.cadence]));
}

/**
 * Sets how each kind reaches the member ('none' removes it). A kind newly
 * chosen is mailed from the next notification on, not for what is already there.
 */
export async function saveMailChoices(q: Queryable, memberId: number, choices: ReadonlyArray<{ kind: string; cadence: string }>, now: Date): Promise<void> {
  const none = choices.filter((c) => c.cadence === 'none').map((c) => c.kind);
  if (none.length > 0) await q.query('DELETE FROM mail_choices WHERE member_id = $1 AND kind = ANY($2::text[])', [memberId, none]);
  for (const c of choices.filter((c) => c.cadence !== 'none')) {
    await q.query(
      `INSERT INTO mail_choices (member_id, kind, cadence, chosen_at, after_notification_id)
       VALUES ($1, $2, $3, $4, COALESCE((SELECT max(id) FROM notifications), 0))
       ON CONFLICT (member_id, kind) DO UPDATE SET cadence = $3`,
      [memberId, c.kind, c.cadence, now],
    );
  }
}

/** One-click unsubscribe: turns off one kind, every kind at one cadence, or all of them. */
export async function turnOffMail(q: Queryable, memberId: number, scope: { kind?: string; cadence?: string }): Promise<number> {
  if (scope.kind) return (await q.query('DELETE FROM mail_choices WHERE member_id = $1 AND kind = $2 RETURNING kind', [memberId, scope.kind])).length;
  if (scope.cadence) return (await q.query('DELETE FROM mail_choices WHERE member_id = $1 AND cadence = $2 RETURNING kind', [memberId, scope.cadence])).length;
  return (await q.query('DELETE FROM mail_choices WHERE member_id = $1 RETURNING kind', [memberId])).length;
}

// ---- the durable mail job --------------------------------------------------

/** A notification waiting to be mailed: visible, unread, not yet mailed, to a verified address that works. */
export interface MailCandidate {
  notificationId: number;
  memberId: number;
  cadence: 'now' | 'daily' | 'weekly';
  visibleFrom: Date;
  timeZone: string;
}

/** Keeps two workers from putting the same notifications into two messages. */
const QUEUE_LOCK = 7_202_810; // any constant; one advisory lock for queueing mail

export async function lockMailQueue(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [QUEUE_LOCK]);
}

export async function mailCandidates(q: Queryable, now: Date, limit: number): Promise<MailCandidate[]> {
  const rows = await q.query<{ id: string; member_id: number; cadence: 'now' | 'daily' | 'weekly'; visible_from: Date; zone: string }>(
    `SELECT n.id, n.member_id, c.cadence, n.visible_from,
            COALESCE(m.time_zone, (SELECT time_zone FROM instance WHERE id = 1), 'UTC') AS zone
       FROM notifications n
       JOIN mail_choices c ON c.member_id = n.member_id AND c.kind = n.kind
       JOIN mail_settings s ON s.member_id = n.member_id
       JOIN members m ON m.id = n.member_id
      WHERE n.visible_from <= $1 AND n.read_at IS NULL AND n.id > c.after_notification_id
        AND m.status = 'active' AND s.stopped_at IS NULL
        AND s.verified_address IS NOT NULL AND lower(s.verified_address) = lower(m.email)
        AND NOT EXISTS (SELECT 1 FROM mail_delivery_notifications d WHERE d.notification_id = n.id)
      ORDER BY n.id
      LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => ({ notificationId: Number(r.id), memberId: r.member_id, cadence: r.cadence, visibleFrom: r.visible_from, timeZone: r.zone }));
}

/** A message to send, holding `notificationIds`; due at once. */
export async function insertMailDelivery(tx: Queryable, memberId: number, cadence: string, notificationIds: number[], now: Date): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    'INSERT INTO mail_deliveries (member_id, cadence, created_at, next_attempt_at) VALUES ($1, $2, $3, $3) RETURNING id',
    [memberId, cadence, now],
  );
  const id = Number(rows[0]!.id);
  await tx.query(
    `INSERT INTO mail_delivery_notifications (notification_id, delivery_id) SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING`,
    [notificationIds, id],
  );
  return id;
}

export interface ClaimedDelivery {
  id: number;
  memberId: number;
  cadence: 'now' | 'daily' | 'weekly';
  attempts: number;
}

/** Claims due deliveries for `leaseMs` (another worker takes them if this one stops). */
export async function claimDueMail(q: Queryable, now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const rows = await q.query<{ id: string; member_id: number; cadence: 'now' | 'daily' | 'weekly'; attempts: number }>(
    `UPDATE mail_deliveries SET next_attempt_at = $2
      WHERE id IN (SELECT id FROM mail_deliveries
                    WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1
                    ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING id, member_id, cadence, attempts`,
    [now, new Date(now.getTime() + leaseMs), limit],
  );
  return rows.map((r) => ({ id: Number(r.id), memberId: r.member_id, cadence: r.cadence, attempts: r.attempts }));
}

/** What a message says about each of its notifications (text only where the caller may use it). */
export interface MailedNotification {
  id: number;
  kind: string;
  link: string;
  details: Record<string, unknown>;
  createdAt: Date;
  actorName: string | null;
  circleName: string | null;
  circleVisibility: 'public' | 'members' | null;
  threadTitle: string | null;
  postHtml: string | null;
  postHasWarning: boolean;
}

export async function notificationsOfDelivery(q: Queryable, deliveryId: number): Promise<MailedNotification[]> {
  const rows = await q.query<{
    id: string;
    kind: string;
    link: string;
    details: Record<string, unknown>;
    created_at: Date;
    actor_handle: string | null;
    actor_display: string | null;
    remote_handle: string | null;
    remote_host: string | null;
    remote_display: string | null;
    circle_name: string | null;
    visibility: 'public' | 'members' | null;
    title: string | null;
    html: string | null;
    state: string | null;
    content_warning: string | null;
  }>(
    `SELECT n.id, n.kind, n.link, n.details, n.created_at,
            am.handle AS actor_handle, am.display_name AS actor_display,
            ra.handle AS remote_handle, ra.host AS remote_host, ra.display_name AS remote_display,
            c.name AS circle_name, c.visibility, t.title, p.html, p.state, p.content_warning
       FROM mail_delivery_notifications d
       JOIN notifications n ON n.id = d.notification_id
       LEFT JOIN members am ON am.id = n.actor_member_id
       LEFT JOIN remote_actors ra ON ra.id = n.actor_remote_id
       LEFT JOIN circles c ON c.id = n.circle_id
       LEFT JOIN threads t ON t.id = n.thread_id
       LEFT JOIN posts p ON p.id = n.post_id
      WHERE d.delivery_id = $1
      ORDER BY n.id`,
    [deliveryId],
  );
  return rows.map((r) => {
    const local = r.actor_handle ? r.actor_display || `@${r.actor_handle}` : null;
    const remote = r.remote_handle ? r.remote_display || `@${r.remote_handle}@${r.remote_host}` : null;
    return {
      id: Number(r.id),
      kind: r.kind,
      link: r.link,
      details: r.details,
      createdAt: r.created_at,
      actorName: local ?? remote,
      circleName: r.circle_name,
      circleVisibility: r.visibility,
      threadTitle: r.title,
      postHtml: r.state === 'visible' ? r.html : null,
      postHasWarning: r.content_warning !== null && r.content_warning !== '',
    };
  });
}

/** Where a message goes and what the member allows in it; undefined when it must not be sent any more. */
export async function recipientOf(
  q: Queryable,
  memberId: number,
): Promise<{ address: string; handle: string; includePrivateText: boolean; language: Locale | null } | undefined> {
  const rows = await q.query<{ verified_address: string; handle: string; include_private_text: boolean; language: string | null }>(
    `SELECT s.verified_address, m.handle, s.include_private_text, m.language
       FROM mail_settings s JOIN members m ON m.id = s.member_id
      WHERE s.member_id = $1 AND m.status = 'active' AND s.stopped_at IS NULL
        AND s.verified_address IS NOT NULL AND lower(s.verified_address) = lower(m.email)`,
    [memberId],
  );
  const r = rows[0];
  return r ? { address: r.verified_address, handle: r.handle, includePrivateText: r.include_private_text, language: isLocale(r.language) ? r.language : null } : undefined;
}

export async function markMailSent(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('UPDATE mail_deliveries SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [id, at]);
}

export async function markMailFailed(q: Queryable, id: number, nextAt: Date, error: string): Promise<void> {
  await q.query('UPDATE mail_deliveries SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1', [id, nextAt, error]);
}

export async function giveUpMail(q: Queryable, id: number, at: Date, error: string): Promise<void> {
  await q.query('UPDATE mail_deliveries SET attempts = attempts + 1, given_up_at = $2, last_error = $3 WHERE id = $1', [id, at, error]);
}

/** A message that will not be sent (the address stopped, or is no longer verified): it is set aside without an error. */
export async function dropMailDelivery(q: Queryable, id: number, at: Date, reason: string): Promise<void> {
  await q.query('UPDATE mail_deliveries SET given_up_at = $2, last_error = $3 WHERE id = $1', [id, at, reason]);
}

/** Whether a reset link was mailed to the member since `since` (reset mails are spaced out). */
export async function resetMailedSince(q: Queryable, memberId: number, since: Date): Promise<boolean> {
  const rows = await q.query("SELECT 1 FROM password_resets WHERE member_id = $1 AND channel = 'email' AND created_at > $2 LIMIT 1", [memberId, since]);
  return rows.length > 0;
}
