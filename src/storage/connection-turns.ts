/** Background work waiting at most this many foreground turns before it gets one (it is never starved). */
export const MAX_OVERTAKES = 32;
/**
 * How long the connection must stay free after a foreground turn before
 * background work starts: background work started in a gap between two
 * statements of a request makes the request wait for it, and on the embedded
 * database the statement also holds Node's one thread. Measured with
 * bench:outbox (on a loaded machine): 10 ms left the reply with 5,000
 * followers at about twice the time with none, 50 ms within 1.2×.
 */
export const FOREGROUND_GRACE_MS = 50;

/**
 * Who uses a single connection next (the embedded database has exactly one).
 * A turn is one statement, or one whole transaction. Foreground turns (a
 * person's request is waiting) go before background ones (workers,
 * housekeeping: `work-priority.ts`). After a foreground turn, background work
 * waits until the connection stayed free for `graceMs`, so it does not slip
 * in between two statements of one request (its own work separates them:
 * reading the form, rendering in the render workers). Background turns
 * follow each other at once while no request asks. After MAX_OVERTAKES
 * foreground turns went before waiting background work, one background turn
 * goes next. Within each kind, turns go in the order they were asked for.
 */
export class ConnectionTurns {
  private busy = false;
  /** No foreground turn ended within the last `graceMs`. */
  private quiet = true;
  private lastForeground = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly foreground: (() => void)[] = [];
  private readonly background: (() => void)[] = [];
  private overtakes = 0;

  constructor(private readonly graceMs = FOREGROUND_GRACE_MS) {}

  /** Runs `fn` when it is this caller's turn; the connection is held until `fn` settles. */
  async run<T>(background: boolean, fn: () => Promise<T>): Promise<T> {
    await this.take(background);
    try {
      return await fn();
    } finally {
      this.release(background);
    }
  }

  /** How many turns are waiting. */
  waiting(): { foreground: number; background: number } {
    return { foreground: this.foreground.length, background: this.background.length };
  }

  private take(background: boolean): Promise<void> | void {
    if (!this.busy && (!background || this.quiet)) {
      this.busy = true;
      if (!background && this.background.length > 0) this.overtakes++;
      return;
    }
    return new Promise<void>((resolve) => (background ? this.background : this.foreground).push(resolve));
  }

  private release(wasBackground: boolean): void {
    if (this.background.length > 0 && this.overtakes >= MAX_OVERTAKES) return this.handTo(this.background, true);
    if (this.foreground.length > 0) return this.handTo(this.foreground, false);
    if (wasBackground && this.background.length > 0) return this.handTo(this.background, true);
    this.busy = false;
    if (!wasBackground) {
      this.quiet = false;
      this.lastForeground = performance.now();
      this.timer ??= setTimeout(() => this.whenQuiet(), this.graceMs);
    }
  }

  /** Once no foreground turn ended for `graceMs`, the oldest background turn has the connection (if it is free). */
  private whenQuiet(): void {
    const left = this.lastForeground + this.graceMs - performance.now();
    if (left > 0) {
      this.timer = setTimeout(() => this.whenQuiet(), left);
      return;
    }
    this.timer = undefined;
    this.quiet = true;
    if (!this.busy && this.background.length > 0) {
      this.busy = true;
      this.handTo(this.background, true);
    }
  }

  /** The connection stays busy: the next waiter of that kind has it. */
  private handTo(queue: (() => void)[], background: boolean): void {
    if (background) this.overtakes = 0;
    else if (this.background.length > 0) this.overtakes++;
    queue.shift()!();
  }
}
