import type { Queryable } from '../../src/storage/database.js';
import type { Report } from '../types.js';
import { toReport } from './rows.js';

export interface NewReport {
  circleId: number | null;
  reporterId: number | null;
  originHost: string | null;
  postId: number | null;
  memberId: number | null;
  remoteActorId: number | null;
  reason: Report['reason'];
  note: string;
  forward: boolean;
  /** What goes to the other server with a forwarded report, when the reporter changed it (else the note). */
  forwardNote?: string | null;
  at: Date;
  /** A report about a message in a private conversation, and whether the reporter shares its text with the stewards. */
  conversationMessageId?: number | null;
  messageTextShared?: boolean;
}

export async function insertReport(q: Queryable, r: NewReport): Promise<Report> {
  const rows = await q.query(
    `INSERT INTO reports (circle_id, reporter_id, origin_host, post_id, member_id, remote_actor_id, reason, note, forward, forward_note, created_at, conversation_message_id, message_text_shared)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
    [r.circleId, r.reporterId, r.originHost, r.postId, r.memberId, r.remoteActorId, r.reason, r.note, r.forward, r.forwardNote ?? null, r.at, r.conversationMessageId ?? null, r.messageTextShared ?? false],
  );
  return toReport(rows[0]!);
}

export async function findReport(q: Queryable, id: number, forUpdate = false): Promise<Report | undefined> {
  const rows = await q.query(`SELECT * FROM reports WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toReport(rows[0]) : undefined;
}

export async function countRecentReportsBy(q: Queryable, reporterId: number, since: Date): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE reporter_id = $1 AND created_at > $2', [reporterId, since]);
  return rows[0]!.n;
}

export async function listReportsBy(q: Queryable, reporterId: number, limit: number): Promise<Report[]> {
  const rows = await q.query('SELECT * FROM reports WHERE reporter_id = $1 ORDER BY id DESC LIMIT $2', [reporterId, limit]);
  return rows.map(toReport);
}

/** Open reports for a circle's moderators. */
export async function listOpenReports(q: Queryable, circleId: number | null): Promise<Report[]> {
  const rows = await q.query(
    `SELECT * FROM reports WHERE circle_id IS NOT DISTINCT FROM $1 AND status = 'open' ORDER BY created_at, id`,
    [circleId],
  );
  return rows.map(toReport);
}

export async function closeReport(q: Queryable, id: number, o: { outcome: string; note: string; by: number | null; at: Date }): Promise<void> {
  await q.query("UPDATE reports SET status = 'closed', outcome = $2, outcome_note = $3, handled_by = coalesce($4, handled_by), closed_at = $5 WHERE id = $1", [
    id,
    o.outcome,
    o.note,
    o.by,
    o.at,
  ]);
}

/** Everyone who reported the same post or member (so none of them decides the case). */
export async function reporterIdsFor(q: Queryable, target: { postId: number | null; memberId: number | null }): Promise<number[]> {
  const rows = await q.query<{ reporter_id: number }>(
    `SELECT DISTINCT reporter_id FROM reports WHERE reporter_id IS NOT NULL
       AND (($1::int IS NOT NULL AND post_id = $1) OR ($2::int IS NOT NULL AND member_id = $2))`,
    [target.postId, target.memberId],
  );
  return rows.map((r) => r.reporter_id);
}
