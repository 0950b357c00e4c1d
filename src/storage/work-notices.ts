import type { Queryable } from './database.js';

/**
 * The NOTIFY channel on which whoever queues background work (a delivery, a
 * federating event, an incoming activity) wakes the workers of every process
 * sharing the database. The notification is sent in the statement that
 * queues the rows, so inside a transaction it is heard only once that
 * commits. Workers still poll, as a backstop for notifications missed while
 * a listening connection was down.
 */
export const WORK_CHANNEL = 'hearth_work';

/** Which worker a notification wakes: the delivery queue, the outbox, the durable inbox. */
export type WorkQueue = 'deliveries' | 'outbox' | 'inbox';

const QUEUES: ReadonlySet<string> = new Set<WorkQueue>(['deliveries', 'outbox', 'inbox']);

/** The queue a notification names, or undefined for anything else heard on the channel. */
export function readWorkNotice(payload: string): WorkQueue | undefined {
  return QUEUES.has(payload) ? (payload as WorkQueue) : undefined;
}
