import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which statements nobody is waiting for. Workers (outbox, inbox, delivery)
 * and housekeeping run their work inside `asBackgroundWork`; everything they
 * await carries the mark. The embedded database's one connection
 * (`pglite-database.ts`) lets statements made for a person's request go
 * first; on PostgreSQL, with a pool, the mark changes nothing.
 */
const background = new AsyncLocalStorage<true>();

/** Runs `fn` (and everything it starts) as background work. */
export function asBackgroundWork<T>(fn: () => T): T {
  return background.run(true, fn);
}

/** True inside `asBackgroundWork`. */
export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}
