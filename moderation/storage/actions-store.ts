import type { Queryable } from '../../src/storage/database.js';
import type { ActionDetail, ModerationAction } from '../types.js';
import { toAction } from './rows.js';

/** A new action: everything but what storage assigns or later steps fill in. */
export type NewAction = Omit<ModerationAction, 'id' | 'confirmedBy' | 'settledAt'>;

export async function insertAction(q: Queryable, a: NewAction): Promise<ModerationAction> {
  const rows = await q.query(
    `INSERT INTO moderation_actions (circle_id, kind, status, post_id, thread_id, member_id, remote_actor_id, remote_host, report_id,
       agreement, reason, detail, withhold_name, acted_by, created_at, confirm_by, effective_at, ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING *`,
    [
      a.circleId, a.kind, a.status, a.postId, a.threadId, a.memberId, a.remoteActorId, a.remoteHost, a.reportId,
      a.agreement, a.reason, JSON.stringify(a.detail), a.withholdName, a.actedBy, a.createdAt, a.confirmBy, a.effectiveAt, a.endsAt,
    ],
  );
  return toAction(rows[0]!);
}

export async function findAction(q: Queryable, id: number, forUpdate = false): Promise<ModerationAction | undefined> {
  const rows = await q.query(`SELECT * FROM moderation_actions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toAction(rows[0]) : undefined;
}

export async function updateAction(
  q: Queryable,
  id: number,
  c: { status: ModerationAction['status']; confirmedBy?: number | null; effectiveAt?: Date | null; settledAt?: Date | null; detail?: ActionDetail },
): Promise<void> {
  await q.query(
    `UPDATE moderation_actions SET status = $2,
       confirmed_by = CASE WHEN $3::boolean THEN $4 ELSE confirmed_by END,
       effective_at = CASE WHEN $5::boolean THEN $6 ELSE effective_at END,
       settled_at = CASE WHEN $7::boolean THEN $8 ELSE settled_at END,
       detail = coalesce($9::jsonb, detail)
     WHERE id = $1`,
    [
      id, c.status,
      c.confirmedBy !== undefined, c.confirmedBy ?? null,
      c.effectiveAt !== undefined, c.effectiveAt ?? null,
      c.settledAt !== undefined, c.settledAt ?? null,
      c.detail ? JSON.stringify(c.detail) : null,
    ],
  );
}

/** A serious action's time starts when it takes effect: its end moves with it. */
export async function setActionEndsAt(q: Queryable, id: number, endsAt: Date): Promise<void> {
  await q.query('UPDATE moderation_actions SET ends_at = $2 WHERE id = $1', [id, endsAt]);
}

/** A restored post: whatever hid it (pending or standing) is over at `at`. */
export async function endHidingActions(q: Queryable, postId: number, at: Date): Promise<void> {
  await q.query("UPDATE moderation_actions SET status = 'ended', settled_at = $2 WHERE post_id = $1 AND kind = 'hide_post' AND status IN ('pending', 'standing')", [postId, at]);
}

/** The members' vote an action was put to; it no longer waits for a second moderator. */
export async function linkProposal(q: Queryable, actionId: number, proposalId: number): Promise<void> {
  await q.query("UPDATE moderation_actions SET detail = detail || jsonb_build_object('proposalId', $2::int), confirm_by = NULL WHERE id = $1", [actionId, proposalId]);
}

/** Actions whose confirmation window passed, or whose time is up, at `at`. */
export async function listDueActions(q: Queryable, at: Date): Promise<ModerationAction[]> {
  const rows = await q.query(
    `SELECT * FROM moderation_actions
      WHERE (status IN ('pending', 'awaiting') AND confirm_by <= $1)
         OR (status IN ('pending', 'standing') AND ends_at <= $1)
      ORDER BY id LIMIT 200`,
    [at],
  );
  return rows.map(toAction);
}

export async function listActions(q: Queryable, where: { circleId: number | null; statuses: string[] }): Promise<ModerationAction[]> {
  const rows = await q.query(
    'SELECT * FROM moderation_actions WHERE circle_id IS NOT DISTINCT FROM $1 AND status = ANY($2::text[]) ORDER BY created_at, id',
    [where.circleId, where.statuses],
  );
  return rows.map(toAction);
}

/** Actions in any circle (not the instance's own) in one of `statuses`. */
export async function listCircleActions(q: Queryable, statuses: string[]): Promise<ModerationAction[]> {
  const rows = await q.query('SELECT * FROM moderation_actions WHERE circle_id IS NOT NULL AND status = ANY($1::text[]) ORDER BY created_at, id', [statuses]);
  return rows.map(toAction);
}

/** Earlier actions concerning a member (for the review queue's context). */
export async function listActionsAbout(q: Queryable, memberId: number, limit: number): Promise<ModerationAction[]> {
  const rows = await q.query(
    `SELECT a.* FROM moderation_actions a LEFT JOIN posts p ON p.id = a.post_id
      WHERE a.member_id = $1 OR p.author_id = $1 ORDER BY a.id DESC LIMIT $2`,
    [memberId, limit],
  );
  return rows.map(toAction);
}

export async function listActionsAffecting(q: Queryable, memberId: number): Promise<ModerationAction[]> {
  const rows = await q.query(
    `SELECT a.* FROM moderation_actions a
      WHERE (a.member_id = $1 OR (a.detail->>'postAuthorId')::int = $1) AND a.kind <> 'message'
      ORDER BY a.id DESC LIMIT 50`,
    [memberId],
  );
  return rows.map(toAction);
}

// ---- effects on the world --------------------------------------------------

export async function setPostState(q: Queryable, postId: number, state: string, onlyFrom: string[]): Promise<boolean> {
  const rows = await q.query('UPDATE posts SET state = $2 WHERE id = $1 AND state = ANY($3::text[]) RETURNING id', [postId, state, onlyFrom]);
  return rows.length > 0;
}

export async function setPostContentWarning(q: Queryable, postId: number, cw: string | null): Promise<void> {
  await q.query('UPDATE posts SET content_warning = $2 WHERE id = $1', [postId, cw]);
}

export async function setThreadLocked(q: Queryable, threadId: number, at: Date | null): Promise<void> {
  await q.query('UPDATE threads SET locked_at = $2 WHERE id = $1', [threadId, at]);
}

export async function setThreadSlow(q: Queryable, threadId: number, seconds: number): Promise<void> {
  await q.query('UPDATE threads SET slow_seconds = $2 WHERE id = $1', [threadId, seconds]);
}

export async function addRestriction(
  q: Queryable,
  r: { actionId: number; circleId: number | null; memberId: number | null; remoteActorId: number | null; kind: 'hold' | 'mute' | 'remove'; endsAt: Date | null },
): Promise<void> {
  await q.query(
    `INSERT INTO member_restrictions (action_id, circle_id, member_id, remote_actor_id, kind, ends_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (action_id) DO UPDATE SET ends_at = EXCLUDED.ends_at`,
    [r.actionId, r.circleId, r.memberId, r.remoteActorId, r.kind, r.endsAt],
  );
}

export async function extendRestriction(q: Queryable, actionId: number, endsAt: Date | null): Promise<void> {
  await q.query('UPDATE member_restrictions SET ends_at = $2 WHERE action_id = $1', [actionId, endsAt]);
}

export async function removeRestriction(q: Queryable, actionId: number): Promise<void> {
  await q.query('DELETE FROM member_restrictions WHERE action_id = $1', [actionId]);
}

/** The restrictions on a member (or remote account) in a circle at `at`. */
export async function restrictionsFor(
  q: Queryable,
  who: { memberId?: number; remoteActorId?: number },
  circleId: number,
  at: Date,
): Promise<Array<{ kind: 'hold' | 'mute' | 'remove'; endsAt: Date | null }>> {
  const rows = await q.query<{ kind: 'hold' | 'mute' | 'remove'; ends_at: Date | null }>(
    `SELECT kind, ends_at FROM member_restrictions
      WHERE circle_id = $1 AND (ends_at IS NULL OR ends_at > $2)
        AND (($3::int IS NOT NULL AND member_id = $3) OR ($4::int IS NOT NULL AND remote_actor_id = $4))`,
    [circleId, at, who.memberId ?? null, who.remoteActorId ?? null],
  );
  return rows.map((r) => ({ kind: r.kind, endsAt: r.ends_at }));
}

export async function setMemberSuspended(q: Queryable, memberId: number, suspended: boolean): Promise<void> {
  await q.query('UPDATE members SET status = $2 WHERE id = $1 AND status = $3', [memberId, suspended ? 'suspended' : 'active', suspended ? 'active' : 'suspended']);
  if (suspended) await q.query("DELETE FROM sessions WHERE data->'passport'->>'user' = $1::text", [String(memberId)]);
}

export async function blockInstance(q: Queryable, host: string, actionId: number, at: Date): Promise<void> {
  await q.query('INSERT INTO instance_blocks (host, action_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (host) DO UPDATE SET action_id = EXCLUDED.action_id', [host, actionId, at]);
}

export async function unblockInstance(q: Queryable, host: string, actionId: number): Promise<void> {
  await q.query('DELETE FROM instance_blocks WHERE host = $1 AND (action_id = $2 OR action_id IS NULL)', [host, actionId]);
}

export async function isInstanceBlocked(q: Queryable, host: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM instance_blocks WHERE host = $1', [host.toLowerCase()]);
  return rows.length > 0;
}

export async function listBlockedInstances(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ host: string }>('SELECT host FROM instance_blocks ORDER BY host');
  return rows.map((r) => r.host);
}

export async function recuse(q: Queryable, memberId: number, target: { reportId?: number; actionId?: number }): Promise<void> {
  await q.query('INSERT INTO case_recusals (member_id, report_id, action_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    memberId,
    target.reportId ?? null,
    target.actionId ?? null,
  ]);
}

export async function recusals(q: Queryable, memberId: number): Promise<{ reports: Set<number>; actions: Set<number> }> {
  const rows = await q.query<{ report_id: number | null; action_id: number | null }>('SELECT report_id, action_id FROM case_recusals WHERE member_id = $1', [memberId]);
  return {
    reports: new Set(rows.flatMap((r) => (r.report_id !== null ? [r.report_id] : []))),
    actions: new Set(rows.flatMap((r) => (r.action_id !== null ? [r.action_id] : []))),
  };
}

/** Whether the public log leaves out the affected member's handle (their choice). */
export async function setWithholdName(q: Queryable, id: number, withhold: boolean): Promise<void> {
  await q.query('UPDATE moderation_actions SET withhold_name = $2 WHERE id = $1', [id, withhold]);
}
