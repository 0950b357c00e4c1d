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

  /** Delivers `activity` of `sender` (already saved where it belongs) to the followers of `of` (the sender by default). */
  async send(sender: ApexObject, activity: ApexObject, of: ApexObject = sender): Promise<number> {
    const addresses = await this.inboxes(of);
    if (addresses.length === 0) return 0;
    // As apex's publishActivity does: compact for transport first.
    const outgoing = (await this.apex.toJSONLD(activity)) as unknown as typeof activity;
    await this.apex.queueForDelivery(sender, outgoing, addresses);
    return addresses.length;
  }

  /** apex's addToOutbox for an activity addressed to the actor's followers (and Public): kept in its outbox, then sent. */
  async addToOutbox(actor: ApexObject, activity: ApexObject): Promise<void> {
    this.apex.addMeta(activity, 'collection', (actor.outbox as string[])[0]!);
    await this.apex.store.saveActivity(activity);
    await this.send(actor, activity);
  }
}
