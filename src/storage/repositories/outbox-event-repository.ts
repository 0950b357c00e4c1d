import type { Queryable } from '../database.js';
import { WORK_CHANNEL } from '../work-notices.js';

/**
 * The two durable event tables of migration 0018: `outbox_events` (changes to
 * federate; a handled row is deleted) and `inbox_events` (incoming activities
 * to apply; a handled row keeps applied_at, so an activity id is applied once).
 */
export type EventTable = 'outbox_events' | 'inbox_events';

/** One recorded event waiting to be handled. */
export interface OutboxEvent {
  id: number;
  name: string;
  payload: unknown;
  attempt: number;
}

interface OutboxRow {
  id: string | number;
  name: string;
  payload: unknown;
  attempt: number;
}

const toEvent = (r: OutboxRow): OutboxEvent => ({ id: Number(r.id), name: r.name, payload: r.payload, attempt: r.attempt });

/**
 * Records an event inside the caller's transaction: it exists if and only if
 * the change does. The outbox workers of every process hear of it (NOTIFY)
 * when the transaction commits.
 */
export async function recordOutgoing(q: Queryable, name: string, payload: unknown): Promise<void> {
  await q.query(
    `WITH e AS (INSERT INTO outbox_events (name, payload) VALUES ($1, $2::jsonb) RETURNING id)
     SELECT pg_notify($3, 'outbox') FROM e`,
    [name, JSON.stringify(payload), WORK_CHANNEL],
  );
}

/**
 * Claims up to `limit` due events for `leaseMs`, oldest first (several
 * processes can share the table); a claimed row stays until it is done, so a
 * process that dies while handling it loses nothing: the lease runs out.
 */
export async function claimOutgoing(q: Queryable, limit: number, leaseMs: number, table: EventTable = 'outbox_events'): Promise<OutboxEvent[]> {
  const rows = await q.query<OutboxRow>(
    `UPDATE ${table} SET locked_until = now() + ($2::int * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM ${table}
       WHERE gave_up_at IS NULL AND applied_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
       ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id, name, payload, attempt`,
    [limit, leaseMs],
  );
  return rows.map(toEvent).sort((a, b) => a.id - b.id);
}

export async function completeOutgoing(q: Queryable, id: number, table: EventTable = 'outbox_events'): Promise<void> {
  if (table === 'outbox_events') await q.query('DELETE FROM outbox_events WHERE id = $1', [id]);
  else await q.query('UPDATE inbox_events SET applied_at = now(), locked_until = NULL WHERE id = $1', [id]);
}

/**
 * Records an incoming activity to apply, and wakes the inbox workers of every
 * process (NOTIFY); false when that activity id was recorded before (it is
 * not applied twice).
 */
export async function recordIncoming(q: Queryable, activityId: string, name: string, payload: unknown): Promise<boolean> {
  const rows = await q.query(
    `WITH e AS (INSERT INTO inbox_events (activity_id, name, payload) VALUES ($1, $2, $3::jsonb) ON CONFLICT (activity_id) DO NOTHING RETURNING id)
     SELECT e.id, pg_notify($4, 'inbox') FROM e`,
    [activityId, name, JSON.stringify(payload), WORK_CHANNEL],
  );
  return rows.length === 1;
}

/** Where a recorded incoming activity stands: waiting (or being retried), applied, given up; undefined when never recorded. */
export async function incomingState(q: Queryable, activityId: string): Promise<{ name: string; state: 'waiting' | 'applied' | 'given_up' } | undefined> {
  const rows = await q.query<{ name: string; applied: boolean; given_up: boolean }>(
    'SELECT name, applied_at IS NOT NULL AS applied, gave_up_at IS NOT NULL AS given_up FROM inbox_events WHERE activity_id = $1',
    [activityId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { name: row.name, state: row.applied ? 'applied' : row.given_up ? 'given_up' : 'waiting' };
}

/** Forgets applied incoming activities older than `days`. */
export async function pruneIncoming(q: Queryable, days: number): Promise<void> {
  await q.query("DELETE FROM inbox_events WHERE applied_at < now() - ($1::int * interval '1 day')", [days]);
}

/** The next attempt after `delayMs`, or (`delayMs` null) given up: kept, with its error, for a person to look at. */
export async function retryOutgoing(q: Queryable, id: number, attempt: number, error: string, delayMs: number | null, table: EventTable = 'outbox_events'): Promise<void> {
  await q.query(
    `UPDATE ${table} SET attempt = $2, locked_until = NULL, last_error = $3,
       next_attempt_at = CASE WHEN $4::int IS NULL THEN next_attempt_at ELSE now() + ($4::int * interval '1 millisecond') END,
       gave_up_at = CASE WHEN $4::int IS NULL THEN now() ELSE NULL END
     WHERE id = $1`,
    [id, attempt, error.slice(0, 500), delayMs],
  );
}

export async function outboxStats(q: Queryable): Promise<{ pending: number; givenUp: number }> {
  const rows = await q.query<{ pending: number; given_up: number }>(
    'SELECT count(*) FILTER (WHERE gave_up_at IS NULL)::int AS pending, count(*) FILTER (WHERE gave_up_at IS NOT NULL)::int AS given_up FROM outbox_events',
  );
  return { pending: rows[0]!.pending, givenUp: rows[0]!.given_up };
}
