import type { Queryable } from '../../storage/database.js';
import { WORK_CHANNEL } from '../../storage/work-notices.js';

/**
 * The durable delivery queue apex hands outgoing activities to, one row per
 * recipient inbox. Retries back off exponentially (30 s doubling, capped at
 * 6 h, with ±10 % jitter) for MAX_ATTEMPTS attempts, so MAX_ATTEMPTS - 1
 * waits: the first ten span about 8.5 hours and the other nine 6 hours each,
 * about 2 days 14 hours in all (never under 2 days 8 hours with jitter). After
 * that the delivery is dropped (and logged by the worker).
 */
export const BACKOFF = { baseMs: 30_000, capMs: 6 * 3600_000, jitter: 0.1 };
export const MAX_ATTEMPTS = 20;

export interface Delivery {
  address: string;
  actorId: string;
  signingKey: string;
  body: string;
  attempt: number;
  after: Date;
}

export interface ClaimedDelivery extends Delivery {
  id: number;
}

export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const plain = Math.min(BACKOFF.baseMs * 2 ** attempt, BACKOFF.capMs);
  return Math.round(plain * (1 + (random() * 2 - 1) * BACKOFF.jitter));
}

/** The shortest total time retries can span (every wait jittered down): for the documentation and its test. */
export function retryHorizonMs(): number {
  let total = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS - 1; attempt++) total += Math.min(BACKOFF.baseMs * 2 ** attempt, BACKOFF.capMs);
  return total * (1 - BACKOFF.jitter);
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

/**
 * Queues one activity for several inboxes: its body and signing key are
 * stored once (`ap_delivery_bodies`), each inbox gets a small row naming them.
 * One statement, so the body never exists without its deliveries; it also
 * wakes the delivery workers of every process (NOTIFY, heard when the
 * caller's transaction, if any, commits).
 */
export async function enqueue(q: Queryable, actorId: string, body: string, addresses: string[], signingKey: string): Promise<void> {
  if (addresses.length === 0) return;
  await q.query(
    `WITH b AS (INSERT INTO ap_delivery_bodies (actor_id, signing_key, body) VALUES ($2, $3, $4) RETURNING id),
     d AS (INSERT INTO ap_deliveries (address, actor_id, body_id) SELECT a, $2, b.id FROM unnest($1::text[]) AS a, b RETURNING id)
     SELECT pg_notify($5, 'deliveries') FROM (SELECT 1 FROM d LIMIT 1) AS queued`,
    [addresses, actorId, signingKey, body, WORK_CHANNEL],
  );
}

/** A claimed or taken row with its body and key, wherever they are kept. */
const WITH_BODY = `SELECT c.id, c.address, c.actor_id, COALESCE(b.signing_key, c.signing_key) AS signing_key,
  COALESCE(b.body, c.body) AS body, c.attempt, c.next_attempt_at, c.body_id
  FROM changed c LEFT JOIN ap_delivery_bodies b ON b.id = c.body_id`;

/**
 * Drops bodies no delivery names any more. Called after deliveries finish;
 * two deliveries of one body finishing at once may each see the other still
 * there, so the housekeeping sweep (`pruneDeliveryBodies`) catches those.
 */
async function dropBodyIfDone(q: Queryable, bodyId: number | string | null): Promise<void> {
  if (bodyId === null) return;
  await q.query('DELETE FROM ap_delivery_bodies b WHERE b.id = $1 AND NOT EXISTS (SELECT 1 FROM ap_deliveries d WHERE d.body_id = $1)', [bodyId]);
}

/** Bodies left behind (see `dropBodyIfDone`); older than a minute, so none is being queued. */
export async function pruneDeliveryBodies(q: Queryable): Promise<number> {
  const rows = await q.query(
    `DELETE FROM ap_delivery_bodies b WHERE b.created_at < now() - interval '1 minute'
       AND NOT EXISTS (SELECT 1 FROM ap_deliveries d WHERE d.body_id = b.id) RETURNING b.id`,
  );
  return rows.length;
}

/** apex's dequeue: takes the next due delivery off the queue (or says when one is due). */
export async function dequeue(q: Queryable): Promise<Delivery | { waitUntil: Date } | null> {
  const rows = await q.query<DeliveryRow & { body_id: string | null }>(
    `WITH changed AS (
       DELETE FROM ap_deliveries WHERE id = (
         SELECT id FROM ap_deliveries
         WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *)
     ${WITH_BODY}`,
  );
  if (rows[0]) {
    await dropBodyIfDone(q, rows[0].body_id);
    const { id: _id, ...delivery } = toDelivery(rows[0]);
    return delivery;
  }
  const next = await q.query<{ at: Date | null }>(
    'SELECT min(GREATEST(next_attempt_at, COALESCE(locked_until, next_attempt_at))) AS at FROM ap_deliveries',
  );
  return next[0]?.at ? { waitUntil: next[0].at } : null;
}

/**
 * Hearth's worker claims several due deliveries at once, for `leaseMs`; a
 * claimed row stays in the table until it is done or rescheduled, so a
 * process that dies mid-delivery loses nothing: the lease runs out and
 * another claims it.
 */
export async function claim(q: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await q.query<DeliveryRow>(
    `WITH changed AS (
       UPDATE ap_deliveries SET locked_until = now() + ($2::int * interval '1 millisecond')
       WHERE id IN (
         SELECT id FROM ap_deliveries
         WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *)
     ${WITH_BODY}`,
    [limit, leaseMs],
  );
  return rows.map(toDelivery).sort((a, b) => a.after.getTime() - b.after.getTime() || a.id - b.id);
}

export async function complete(q: Queryable, id: number): Promise<void> {
  const rows = await q.query<{ body_id: string | null }>('DELETE FROM ap_deliveries WHERE id = $1 RETURNING body_id', [id]);
  await dropBodyIfDone(q, rows[0]?.body_id ?? null);
}

/** Schedules the next attempt, or drops the delivery after the last one (returns false then). */
export async function reschedule(q: Queryable, id: number, attempt: number, error: string): Promise<boolean> {
  if (attempt + 1 >= MAX_ATTEMPTS) {
    await complete(q, id);
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

/** apex's requeue: the delivery it dequeued comes back for a later attempt. */
export async function requeue(q: Queryable, d: Delivery): Promise<boolean> {
  if (d.attempt + 1 >= MAX_ATTEMPTS) return false;
  await q.query(
    `INSERT INTO ap_deliveries (address, actor_id, signing_key, body, attempt, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, now() + ($6::int * interval '1 millisecond'))`,
    [d.address, d.actorId, d.signingKey, d.body, d.attempt + 1, backoffDelayMs(d.attempt)],
  );
  return true;
}

export async function updateSigningKey(q: Queryable, actorId: string, key: string): Promise<void> {
  // Only rows with another key (index ap_deliveries_actor, migration 0018): no write when nothing changed.
  await q.query('UPDATE ap_deliveries SET signing_key = $2 WHERE actor_id = $1 AND signing_key <> $2', [actorId, key]);
  await q.query('UPDATE ap_delivery_bodies SET signing_key = $2 WHERE actor_id = $1 AND signing_key <> $2', [actorId, key]);
}

export async function deliveryQueueStats(q: Queryable): Promise<{ pending: number; dueNow: number }> {
  const rows = await q.query<{ pending: number; due: number }>(
    'SELECT count(*)::int AS pending, count(*) FILTER (WHERE next_attempt_at <= now())::int AS due FROM ap_deliveries',
  );
  return { pending: rows[0]!.pending, dueNow: rows[0]!.due };
}
