import type { ApexDelivery } from 'activitypub-express';
import type { Queryable } from '../../storage/database.js';

/**
 * The durable delivery queue apex hands outgoing activities to: one row of
 * ap_deliveries per recipient inbox, with the body exactly as apex
 * serialised it. Two ways to take work off it:
 *
 * - apex's own `dequeue`/`requeue` (store interface): the row is deleted as
 *   it is taken (DELETE … RETURNING on a row picked FOR UPDATE SKIP LOCKED,
 *   so two dequeuers never get the same one) and inserted again to retry.
 * - Hearth's worker (`claim`/`complete`/`reschedule`): rows are leased for a
 *   while instead, so a process dying mid-delivery loses nothing.
 *
 * Retry schedule, both ways: after failed attempt k (0-based) the next one
 * is due after min(30 s · 2^k, 6 h), ±10 % jitter so that a recovering
 * server is not hit by every retry at once: 30 s, 1 min, 2 min, 4 min, …,
 * 4 h 16 min (k = 9), then every 6 h. MAX_ATTEMPTS = 20 attempts span the
 * 19 delays in between: 8 h 31 min + 9 × 6 h ≈ 2 days 14.5 hours nominal,
 * never less than 2 days 8 hours with the jitter. After the 20th failure
 * the delivery is dropped, and the reason logged.
 *
 * Note: apex's own delivery loop (pub/federation.js runDelivery) stops
 * calling requeue once `attempt` reaches 11 (about 14.5 hours with this
 * schedule). Hearth runs apex with offlineMode and delivers with its own
 * worker, which retries for the full schedule above.
 */
export const BACKOFF = { baseMs: 30_000, capMs: 6 * 3600_000, jitter: 0.1 };
export const MAX_ATTEMPTS = 20;

export type Delivery = ApexDelivery;

export interface ClaimedDelivery extends Delivery {
  id: number;
}

/** Where a dropped delivery is reported (pino's logger fits). */
export interface DeliveryLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** The delay before the attempt after failed attempt `attempt` (0-based). */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const plain = Math.min(BACKOFF.baseMs * 2 ** Math.max(0, attempt), BACKOFF.capMs);
  return Math.round(plain * (1 + (random() * 2 - 1) * BACKOFF.jitter));
}

/** The delays between the MAX_ATTEMPTS attempts, without jitter. */
export function retryDelaysMs(): number[] {
  return Array.from({ length: MAX_ATTEMPTS - 1 }, (_, attempt) => backoffDelayMs(attempt, () => 0.5));
}

/**
 * How long after the first attempt the last one comes: nominal, or at the
 * jitter's extremes (`'shortest'`, `'longest'`).
 */
export function retryHorizonMs(bound: 'nominal' | 'shortest' | 'longest' = 'nominal'): number {
  const factor = bound === 'shortest' ? 1 - BACKOFF.jitter : bound === 'longest' ? 1 + BACKOFF.jitter : 1;
  return retryDelaysMs().reduce((sum, d) => sum + d, 0) * factor;
}

/** Whether failed attempt `attempt` (0-based) was the last one allowed. */
export function isLastAttempt(attempt: number): boolean {
  return attempt + 1 >= MAX_ATTEMPTS;
}

interface DeliveryRow {
  id: number;
  address: string;
  actor_id: string;
  signing_key: string;
  body: string;
  attempt: number;
  next_attempt_at: Date;
}

const toDelivery = (r: DeliveryRow): ClaimedDelivery => ({
  id: r.id,
  address: r.address,
  actorId: r.actor_id,
  signingKey: r.signing_key,
  body: r.body,
  attempt: r.attempt,
  after: r.next_attempt_at,
});

export async function enqueue(q: Queryable, actorId: string, body: string, addresses: readonly string[], signingKey: string): Promise<void> {
  if (addresses.length === 0) return;
  // One statement, so the rows get ids (and so dequeue order) in the order given.
  await q.query(
    `INSERT INTO ap_deliveries (address, actor_id, signing_key, body)
     SELECT a, $2, $3, $4 FROM unnest($1::text[]) WITH ORDINALITY AS t(a, n) ORDER BY n`,
    [[...addresses], actorId, signingKey, body],
  );
}

/**
 * apex's dequeue: takes the next due delivery off the queue, oldest due
 * first; when none is due, says when the next one will be ({ waitUntil }),
 * or null for an empty queue. Rows leased by Hearth's worker are skipped.
 */
export async function dequeue(q: Queryable): Promise<Delivery | { waitUntil: Date } | null> {
  const rows = await q.query<DeliveryRow>(
    `DELETE FROM ap_deliveries WHERE id = (
       SELECT id FROM ap_deliveries
       WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
       ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, address, actor_id, signing_key, body, attempt, next_attempt_at`,
  );
  if (rows[0]) {
    const { id: _id, ...delivery } = toDelivery(rows[0]);
    return delivery;
  }
  const next = await q.query<{ at: Date | null }>(
    'SELECT min(GREATEST(next_attempt_at, COALESCE(locked_until, next_attempt_at))) AS at FROM ap_deliveries',
  );
  return next[0]?.at ? { waitUntil: next[0].at } : null;
}

/**
 * apex's requeue: the delivery it dequeued (and failed to deliver) comes
 * back for a later attempt, per the schedule above; after the last attempt
 * it is dropped and the drop logged. Returns whether it was queued again.
 */
export async function requeue(q: Queryable, d: Delivery, error: string | undefined, logger: DeliveryLogger): Promise<boolean> {
  if (isLastAttempt(d.attempt)) {
    logger.warn(
      { address: d.address, actorId: d.actorId, attempts: d.attempt + 1, lastError: error ?? null },
      `delivery dropped: ${d.attempt + 1} attempts over about ${Math.round(retryHorizonMs() / 3600_000)} hours all failed`,
    );
    return false;
  }
  await q.query(
    `INSERT INTO ap_deliveries (address, actor_id, signing_key, body, attempt, next_attempt_at, last_error)
     VALUES ($1, $2, $3, $4, $5, now() + ($6::int * interval '1 millisecond'), $7)`,
    [d.address, d.actorId, d.signingKey, d.body, d.attempt + 1, backoffDelayMs(d.attempt), error?.slice(0, 500) ?? null],
  );
  return true;
}

/**
 * Hearth's worker claims several due deliveries at once, for `leaseMs`; a
 * claimed row stays in the table until it is done or rescheduled, so a
 * process that dies mid-delivery loses nothing: the lease runs out and
 * another claims it.
 */
export async function claim(q: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await q.query<DeliveryRow>(
    `UPDATE ap_deliveries SET locked_until = now() + ($2::int * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM ap_deliveries
       WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
       ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id, address, actor_id, signing_key, body, attempt, next_attempt_at`,
    [limit, leaseMs],
  );
  return rows.map(toDelivery).sort((a, b) => a.after.getTime() - b.after.getTime() || a.id - b.id);
}

export async function complete(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM ap_deliveries WHERE id = $1', [id]);
}

/**
 * Schedules the next attempt of a claimed delivery, or drops it after the
 * last one (returns false then; the worker logs it).
 */
export async function reschedule(q: Queryable, id: number, attempt: number, error: string): Promise<boolean> {
  if (isLastAttempt(attempt)) {
    await q.query('DELETE FROM ap_deliveries WHERE id = $1', [id]);
    return false;
  }
  await q.query(
    `UPDATE ap_deliveries SET attempt = $2, locked_until = NULL, last_error = $3,
       next_attempt_at = now() + ($4::int * interval '1 millisecond')
     WHERE id = $1`,
    [id, attempt + 1, error.slice(0, 500), backoffDelayMs(attempt)],
  );
  return true;
}

/** A new signing key reaches deliveries already queued for its actor. */
export async function updateSigningKey(q: Queryable, actorId: string, key: string): Promise<void> {
  await q.query('UPDATE ap_deliveries SET signing_key = $2 WHERE actor_id = $1 AND signing_key <> $2', [actorId, key]);
}

/**
 * For health checks and the benchmark: deliveries queued, and how many of
 * them are due now and not being worked on (leased) by a worker.
 */
export async function deliveryQueueStats(q: Queryable): Promise<{ pending: number; dueNow: number }> {
  const rows = await q.query<{ pending: number; due: number }>(
    `SELECT count(*)::int AS pending,
       count(*) FILTER (WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now()))::int AS due
     FROM ap_deliveries`,
  );
  return { pending: rows[0]?.pending ?? 0, dueNow: rows[0]?.due ?? 0 };
}
