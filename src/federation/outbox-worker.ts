import type { Logger } from 'pino';
import type { DomainEvents } from '../domain/events.js';
import { isFederating } from '../domain/events.js';
import type { Queryable } from '../storage/database.js';
import { claimOutgoing, completeOutgoing, retryOutgoing, type EventTable, type OutboxEvent } from '../storage/repositories/outbox-event-repository.js';
import { asBackgroundWork } from '../storage/work-priority.js';
import { backoffDelayMs } from './apex-store/delivery-queue.js';

/**
 * How often a started worker looks without being told: a backstop only. Work
 * queued in this process nudges its workers at once, and work queued by
 * another process wakes them through NOTIFY (storage/work-notices.ts); the
 * poll catches retries that fell due and notifications missed while the
 * listening connection was down.
 */
export const WORK_POLL_MS = 10_000;

/** Attempts before an event is given up (kept with gave_up_at, and logged): about a day of backoff. */
export const OUTBOX_MAX_ATTEMPTS = 14;

export interface OutboxWorkerOptions {
  db: Queryable;
  /** Which table: the outbox (default) or the durable inbox. */
  table?: EventTable;
  /** What a row means (default: the federating domain event of that name, through `events.dispatch`). */
  handle?: (name: string, payload: unknown) => Promise<void>;
  events?: DomainEvents;
  logger: Logger;
  /** Runs are tracked here so that `federation.settled()` waits for them. */
  track: <T>(work: Promise<T>) => Promise<T>;
  /** After a run queued deliveries: the delivery worker looks now. */
  onDelivered?: () => void;
  /** For tests and drills: record events but never turn them into activities (HEARTH_OUTBOX_PAUSED=1). */
  paused?: boolean;
  batch?: number;
  leaseMs?: number;
  pollMs?: number;
}

/**
 * The transactional outbox's worker: claims recorded federating events
 * (`outbox_events`, FOR UPDATE SKIP LOCKED with a lease, so several processes
 * share them and a crash loses nothing), runs federation's handlers for each
 * (`DomainEvents.dispatch`: the activities and their deliveries), then
 * deletes the row. A failing event is logged and tried again with backoff;
 * after OUTBOX_MAX_ATTEMPTS it is kept as given up. Handling is at least
 * once: a process that dies after queueing an event's deliveries and before
 * deleting it sends them again when the lease runs out.
 *
 * It runs when nudged (a federating event was committed in this process, or
 * another process's NOTIFY was heard), and, once started, every `pollMs` as
 * a backstop (retries that fell due, events left by a process that died).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly table: EventTable;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.batch = o.batch ?? 32;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.pollMs = o.pollMs ?? WORK_POLL_MS;
    this.table = o.table ?? 'outbox_events';
  }

  start(): void {
    if (this.o.paused) return;
    this.started = true;
    this.nudge();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /**
   * A test seam: runs before each event is handled; a throw counts as the
   * handling failing (logged, retried with backoff).
   */
  beforeHandle: ((name: string, payload: unknown) => void | Promise<void>) | undefined = undefined;

  /** Something was recorded: look now (also before `start`, so in-process tests need no polling). */
  nudge(): void {
    if (this.o.paused) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Nobody waits for it: on the embedded database, requests' statements go first.
    const run = asBackgroundWork(() => this.drain()).then(
      () => undefined,
      (err: unknown) => this.o.logger.error({ err }, 'outbox run failed'),
    );
    this.running = run;
    // Tracked with what follows it, so a run started from here is seen by `settled()` too.
    void this.o.track(
      run.then(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        } else if (this.started) {
          this.timer = setTimeout(() => this.nudge(), this.pollMs);
          this.timer.unref();
        }
      }),
    );
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Handles every due event now, oldest first; returns how many were handled. */
  async drain(): Promise<number> {
    let total = 0;
    let delivered = false;
    try {
      for (;;) {
        const batch = await claimOutgoing(this.o.db, this.batch, this.leaseMs, this.table);
        if (batch.length === 0) return total;
        // In order: an edit goes out after the post it changes.
        for (const event of batch) if (await this.handle(event)) delivered = true;
        total += batch.length;
        if (delivered) this.o.onDelivered?.();
      }
    } finally {
      if (delivered) this.o.onDelivered?.();
    }
  }

  private async handle(event: OutboxEvent): Promise<boolean> {
    try {
      await this.beforeHandle?.(event.name, event.payload);
      if (this.o.handle) {
        await this.o.handle(event.name, event.payload);
      } else if (!isFederating(event.name) || !this.o.events) {
        this.o.logger.warn({ id: event.id, event: event.name }, 'outbox event of an unknown kind; dropped');
      } else {
        await this.o.events.dispatch(event.name, event.payload);
      }
      await completeOutgoing(this.o.db, event.id, this.table);
      return true;
    } catch (error) {
      const attempt = event.attempt + 1;
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = attempt >= OUTBOX_MAX_ATTEMPTS;
      await retryOutgoing(this.o.db, event.id, attempt, message, giveUp ? null : backoffDelayMs(event.attempt), this.table);
      this.o.logger[giveUp ? 'error' : 'warn'](
        { err: error, id: event.id, event: event.name, attempt, table: this.table },
        giveUp ? `handling an event failed; given up (kept in ${this.table})` : 'handling an event failed; it will be tried again',
      );
      return false;
    }
  }
}
