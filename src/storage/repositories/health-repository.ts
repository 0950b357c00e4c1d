import type { Queryable } from '../database.js';

/**
 * What the Health page and /metrics read about the instance itself: the
 * delivery queue (`ap_deliveries`, read only here; the queue's own code is
 * in federation), deliveries given up, and the database's size. Nothing here
 * counts people or what they read.
 */

/** A server's deliveries still in the queue. */
export interface HostDeliveries {
  host: string;
  /** Deliveries in the queue for this server. */
  waiting: number;
  /** Of those, the ones that failed at least once. */
  failing: number;
  /** The error of the most recent failure, if any. */
  lastError: string | null;
  /** When the next one is due. */
  nextAttemptAt: Date | null;
}

export interface HostGiveUps {
  host: string;
  givenUp: number;
  lastError: string | null;
  lastAt: Date;
}

const HOST_OF_ADDRESS = `COALESCE(substring(address from '^[A-Za-z]+://([^/]+)'), address)`;

export async function deliveriesByHost(q: Queryable): Promise<HostDeliveries[]> {
  const rows = await q.query<{ host: string; waiting: number; failing: number; last_error: string | null; next_at: Date | null }>(
    `SELECT ${HOST_OF_ADDRESS} AS host,
            count(*)::int AS waiting,
            count(*) FILTER (WHERE attempt > 0)::int AS failing,
            (array_agg(last_error ORDER BY attempt DESC, id DESC) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error,
            min(next_attempt_at) AS next_at
       FROM ap_deliveries
      GROUP BY 1
      ORDER BY count(*) FILTER (WHERE attempt > 0) DESC, count(*) DESC, 1`,
  );
  return rows.map((r) => ({ host: r.host, waiting: r.waiting, failing: r.failing, lastError: r.last_error, nextAttemptAt: r.next_at }));
}

export async function deliveryGiveUps(q: Queryable): Promise<HostGiveUps[]> {
  const rows = await q.query<{ host: string; given_up: string | number; last_error: string | null; last_at: Date }>(
    'SELECT host, given_up, last_error, last_at FROM delivery_give_ups ORDER BY last_at DESC, host',
  );
  return rows.map((r) => ({ host: r.host, givenUp: Number(r.given_up), lastError: r.last_error, lastAt: r.last_at }));
}

/**
 * Makes a server's waiting deliveries due now (the worker picks them up at its
 * next look); deliveries a worker is sending right now are left alone.
 * Returns how many were made due.
 */
export async function makeHostDeliveriesDueNow(q: Queryable, host: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH due AS (
       UPDATE ap_deliveries SET next_attempt_at = now()
        WHERE ${HOST_OF_ADDRESS} = $1 AND next_attempt_at > now() AND (locked_until IS NULL OR locked_until < now())
        RETURNING 1)
     SELECT count(*)::int AS n FROM due`,
    [host],
  );
  return rows[0]?.n ?? 0;
}

/** Whether the database answers at all: the smallest statement there is (`/healthz`). */
export async function pingDatabase(q: Queryable): Promise<void> {
  await q.query('SELECT 1');
}

export async function databaseSizeBytes(q: Queryable): Promise<number> {
  const rows = await q.query<{ size: string | number }>('SELECT pg_database_size(current_database()) AS size');
  return Number(rows[0]?.size ?? 0);
}
