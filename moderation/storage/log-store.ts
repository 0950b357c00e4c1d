import type { Queryable } from '../../src/storage/database.js';
import type { LogEntry } from '../types.js';
import { isMessageRef } from '../../src/i18n/message.js';
import { textIn, type Text } from '../../src/i18n/translate.js';
import { toLogEntry } from './rows.js';

export interface NewLogEntry {
  circleId: number | null;
  at: Date;
  event: string;
  /** What happened: a message (kept as such, and in English) or, from older callers, English words. */
  summary: Text;
  agreement?: string;
  reason?: string;
  moderators?: string[];
  subject?: string | null;
  actionId?: number | null;
  proposalId?: number | null;
  appealId?: number | null;
}

/** Writes an entry; returns its id (notifications link to it). */
export async function appendLog(q: Queryable, e: NewLogEntry): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO moderation_log (circle_id, at, event, summary, agreement, reason, moderators, subject, action_id, proposal_id, appeal_id, summary_message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) RETURNING id`,
    [
      e.circleId,
      e.at,
      e.event,
      textIn('en', e.summary),
      e.agreement ?? '',
      e.reason ?? '',
      e.moderators ?? [],
      e.subject ?? null,
      e.actionId ?? null,
      e.proposalId ?? null,
      e.appealId ?? null,
      isMessageRef(e.summary) ? JSON.stringify(e.summary) : null,
    ],
  );
  return Number(rows[0]!.id);
}

export async function listLog(q: Queryable, circleId: number | null, limit: number, beforeId?: number): Promise<LogEntry[]> {
  const rows = await q.query(
    `SELECT * FROM moderation_log WHERE circle_id IS NOT DISTINCT FROM $1 AND ($2::int IS NULL OR id < $2)
     ORDER BY id DESC LIMIT $3`,
    [circleId, beforeId ?? null, limit],
  );
  return rows.map(toLogEntry);
}

/**
 * The instance's log: its own entries and every circle's, newest first, with
 * each circle's name. Members-only circles' entries only for their members (`viewerId`).
 */
export async function listInstanceLog(q: Queryable, viewerId: number | null, limit: number, beforeId?: number): Promise<LogEntry[]> {
  const rows = await q.query(
    `SELECT l.*, c.slug AS circle_slug, c.name AS circle_name
       FROM moderation_log l LEFT JOIN circles c ON c.id = l.circle_id
      WHERE (l.circle_id IS NULL OR (c.visibility = 'public' OR EXISTS (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.id AND cm.member_id = $1::int)))
        AND ($2::int IS NULL OR l.id < $2)
      ORDER BY l.id DESC LIMIT $3`,
    [viewerId, beforeId ?? null, limit],
  );
  return rows.map(toLogEntry);
}

/** Names (or stops naming) the affected member on every log entry about an action. */
export async function setLogSubject(q: Queryable, actionId: number, subject: string | null): Promise<void> {
  await q.query('UPDATE moderation_log SET subject = $2 WHERE action_id = $1', [actionId, subject]);
}
