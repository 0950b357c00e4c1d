import type { Logger } from 'pino';
import type { Queryable } from '../storage/database.js';
import { asBackgroundWork } from '../storage/work-priority.js';
import { claim, complete, reschedule, type ClaimedDelivery } from './apex-store/delivery-queue.js';
import { signRequest } from './http-signatures.js';
import { remoteRequest, type FetchPolicy } from './safe-fetch.js';
import { WORK_POLL_MS } from './outbox-worker.js';

export interface DeliveryWorkerOptions {
  db: Queryable;
  policy: FetchPolicy;
  logger: Logger;
  userAgent: string;
  /** Servers this instance blocked: deliveries to them are dropped. */
  isBlockedHost?: (host: string) => Promise<boolean>;
  /** Deliveries sent at once by this process. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
}

/**
 * Sends what apex queued: claims due deliveries (several processes can run
 * this side by side), signs each request as its actor, and POSTs it. 2xx is
 * done; a refusal that will not change (4xx but 408/429) is dropped and
 * logged; anything else is retried later with backoff. Members never wait
 * for this: it runs in the background, woken when deliveries are queued (in
 * this process by a nudge, in another through NOTIFY) and every `pollMs`.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.concurrency = o.concurrency ?? 16;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.pollMs = o.pollMs ?? WORK_POLL_MS;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Something was queued: look now rather than at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Resolves when no delivery run of this worker is going on (started ones included). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Delivers everything due now; returns how many were attempted. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await claim(this.o.db, this.concurrency, this.leaseMs);
      if (batch.length === 0) return total;
      total += batch.length;
      await Promise.all(batch.map((d) => this.deliver(d)));
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // Nobody waits for it: on the embedded database, requests' statements go first.
      this.running = asBackgroundWork(() => this.drain())
        .then(() => undefined)
        .catch((err: unknown) => this.o.logger.error({ err }, 'delivery run failed'))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const soon = this.again;
          this.again = false;
          this.schedule(soon ? 0 : this.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    let outcome: string;
    try {
      const url = new URL(d.address);
      if (this.o.isBlockedHost && (await this.o.isBlockedHost(url.host.toLowerCase()))) {
        // This instance blocked that server: nothing is delivered to it.
        this.o.logger.info({ address: d.address }, 'not delivered: the server is blocked');
        await complete(this.o.db, d.id);
        return;
      }
      const headers = signRequest({ method: 'POST', url, body: d.body, keyId: `${d.actorId}#main-key`, privateKeyPem: d.signingKey });
      const res = await remoteRequest(d.address, this.o.policy, {
        method: 'POST',
        body: d.body,
        headers: { ...headers, 'content-type': 'application/activity+json', 'user-agent': this.o.userAgent },
      });
      if (res.status >= 200 && res.status < 300) {
        await complete(this.o.db, d.id);
        return;
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        this.o.logger.warn({ address: d.address, status: res.status }, 'delivery refused; not retrying');
        await complete(this.o.db, d.id);
        return;
      }
      outcome = `status ${res.status}`;
    } catch (error) {
      outcome = (error as Error).message;
    }
    const kept = await reschedule(this.o.db, d.id, d.attempt, outcome);
    this.o.logger[kept ? 'info' : 'warn']({ address: d.address, attempt: d.attempt, outcome }, kept ? 'delivery will be retried' : 'delivery given up');
  }
}
