import type { Apex, ApexObject } from 'activitypub-express';
import type { PostgresApexStore } from './apex-store/postgres-apex-store.js';

/**
 * Sending to a local actor's followers without apex's per-follower
 * addressing (which resolves, and re-saves, every follower's document on
 * every publish): one SQL query over the followers collection gives the
 * inboxes, shared inboxes deduplicated.
 */
export class FollowersAddressing {
  constructor(
    private readonly apex: Apex,
    private readonly store: PostgresApexStore,
  ) {}

  /** The delivery targets of `actor`'s followers. */
  async inboxes(actor: ApexObject): Promise<string[]> {
    const followers = (actor.followers as string[] | undefined)?.[0];
    const inbox = (actor.inbox as string[] | undefined)?.[0];
    if (!followers || !inbox) return [];
    const blocked = (await this.apex.getBlocked(actor, Infinity, true)) as { orderedItems?: unknown[] };
    const ids = (blocked.orderedItems ?? []).filter((i): i is string => typeof i === 'string');
    return this.store.followerInboxes(followers, inbox, ids);
  }

  /**
   * Delivers `activity` of `sender` (already saved where it belongs) to the
   * followers of `of` (the sender by default), or to `addresses` when the
   * caller already looked them up (several activities of one post).
   */
  async send(sender: ApexObject, activity: ApexObject, of: ApexObject = sender, addresses?: string[]): Promise<number> {
    const to = addresses ?? (await this.inboxes(of));
    if (to.length === 0) return 0;
    // As apex's publishActivity does: compact for transport first.
    const outgoing = (await this.apex.toJSONLD(activity)) as unknown as typeof activity;
    await this.apex.queueForDelivery(sender, outgoing, to);
    return to.length;
  }

  /** apex's addToOutbox for an activity addressed to the actor's followers (and Public): kept in its outbox, then sent (to `addresses`, when given: see `send`). */
  async addToOutbox(actor: ApexObject, activity: ApexObject, addresses?: string[]): Promise<void> {
    this.apex.addMeta(activity, 'collection', (actor.outbox as string[])[0]!);
    await this.apex.store.saveActivity(activity);
    await this.send(actor, activity, actor, addresses);
  }
}
