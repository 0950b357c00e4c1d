import type { DomainEvents } from '../domain/events.js';

/**
 * Work federation does after the request that caused it: apex's inbox
 * steps and Hearth's reaction to them after an inbox request was answered,
 * and the publishers' event handlers. `idle()` resolves once none is left,
 * including work started while waiting; it is the "settled" point tests
 * wait for instead of sleeping.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** A promise to resolve by hand (e.g. when apex hands over an inbox request's event), tracked meanwhile. */
  open(): () => void {
    let done!: () => void;
    this.track(new Promise<void>((resolve) => (done = resolve)));
    return done;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** The same events, with every handler's work tracked. */
  events(events: DomainEvents): DomainEvents {
    const tracked = Object.create(events) as DomainEvents;
    tracked.on = (name, handler) => events.on(name, (e) => this.track(Promise.resolve().then(() => handler(e))));
    return tracked;
  }
}
