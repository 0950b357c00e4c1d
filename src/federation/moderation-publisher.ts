import type { Apex, ApexObject } from 'activitypub-express';
import type { Logger } from 'pino';
import type { DomainEvents, PostEvent, RemoteBlockEvent, ReportEvent } from '../domain/events.js';
import type { Database } from '../storage/database.js';
import { findPost } from '../storage/repositories/post-repository.js';
import { findRemoteActor } from '../storage/repositories/remote-actor-repository.js';
import { noteIris } from './serializers/note.js';
import type { Services } from '../services.js';
import type { ActorIris } from './actor-iris.js';
import type { LocalActors } from './local-actors.js';
import type { OutboxPublisher } from './outbox-publisher.js';
import type { FollowersAddressing } from './followers-addressing.js';
import { AS_PUBLIC } from './vocabulary.js';

/**
 * What moderation means for other servers:
 * - a hidden or removed post: the circle undoes its boost (Mastodon takes the
 *   post out of followers' timelines) and announces its own Delete of the post
 *   (what FEP-1b12 group servers such as Lemmy read as a moderator's removal);
 *   a restored post is published again;
 * - a remote account removed from a circle gets the circle's Block (and Undo
 *   when it ends);
 * - a report a member chose to pass on goes to the other server as a Flag from
 *   the instance actor, without the reporter's name (Mastodon's shape:
 *   object = [account, statuses…], content = the note).
 */
export class ModerationPublisher {
  constructor(
    private readonly o: {
      apex: Apex;
      db: Database;
      services: Omit<Services, 'followed'>;
      localActors: LocalActors;
      publisher: OutboxPublisher;
      iris: ActorIris;
      origin: string;
      logger: Logger;
      onQueued: () => void;
      /** Followers' inboxes in one query (not apex's per-follower addressing). */
      addressing: FollowersAddressing;
    },
  ) {}

  subscribe(events: DomainEvents): void {
    // Run by the outbox worker, which logs a failure and tries the event again.
    events.onDurable('moderation.post_hidden', (e: PostEvent) => this.hidden(e));
    events.onDurable('moderation.post_restored', (e: PostEvent) => this.o.publisher.publish('Create', e));
    events.onDurable('moderation.remote_blocked', (e: RemoteBlockEvent) => this.block(e));
    events.onDurable('moderation.report_forwarded', (e: ReportEvent) => this.flag(e));
  }

  private async hidden(e: PostEvent): Promise<void> {
    if (e.circleId === null) return;
    const circle = await this.o.services.circles.byId(e.circleId);
    if (!circle || circle.visibility !== 'public') return;
    const post = await findPost(this.o.db, e.postId);
    if (!post) return;
    const noteIri = post.apId ?? noteIris(this.o.iris, this.o.origin).post(post.id);
    const group = await this.o.localActors.circle(circle.slug);
    const outbox = (group.outbox as string[])[0]!;
    const followers = (group.followers as string[])[0]!;
    const boost = await this.o.apex.store.findActivityByCollectionAndObjectId(outbox, noteIri);
    if (boost && String(boost.type) === 'Announce') {
      const undo = await this.o.apex.buildActivity('Undo', group.id, [AS_PUBLIC], { object: boost, cc: [followers] });
      await this.o.addressing.addToOutbox(group, undo);
    }
    const removal = await this.o.apex.buildActivity('Delete', group.id, [AS_PUBLIC], { object: noteIri, cc: [followers], audience: group.id });
    this.o.apex.addMeta(removal, 'collection', outbox);
    await this.o.apex.store.saveActivity(removal);
    const announce = await this.o.apex.buildActivity('Announce', group.id, [AS_PUBLIC], { object: removal, cc: [followers], audience: group.id });
    await this.o.addressing.addToOutbox(group, announce);
    this.o.onQueued();
  }

  private async block(e: RemoteBlockEvent): Promise<void> {
    const circle = await this.o.services.circles.byId(e.circleId);
    const remote = await findRemoteActor(this.o.db, { id: e.remoteActorId });
    if (!circle || !remote) return;
    const target = remote.iri;
    const group = await this.o.localActors.circle(circle.slug);
    const inbox = await this.inboxOf(target);
    if (!inbox) return;
    const outbox = (group.outbox as string[])[0]!;
    let activity: ApexObject;
    if (e.blocked) {
      activity = await this.o.apex.buildActivity('Block', group.id, [target], { object: target });
    } else {
      const earlier = await this.o.apex.store.findActivityByCollectionAndObjectId(outbox, target);
      if (!earlier || String(earlier.type) !== 'Block') return;
      activity = await this.o.apex.buildActivity('Undo', group.id, [target], { object: earlier });
    }
    this.o.apex.addMeta(activity, 'collection', outbox);
    await this.o.apex.store.saveActivity(activity);
    await this.send(group, activity, inbox);
  }

  private async flag(e: ReportEvent): Promise<void> {
    const report = await this.o.services.moderation.reports.find(e.reportId);
    if (!report || !report.forward || report.remoteActorId === null) return;
    const account = (await findRemoteActor(this.o.db, { id: report.remoteActorId }))?.iri;
    if (!account) return;
    const status = report.postId !== null ? (await findPost(this.o.db, report.postId))?.apId : undefined;
    const objects = status ? [account, status] : [account];
    const inbox = await this.inboxOf(account);
    if (!inbox) return;
    const instance = await this.o.localActors.instance();
    const flag = await this.o.apex.buildActivity('Flag', instance.id, [account], { object: objects, content: report.forwardNote ?? report.note });
    await this.o.apex.store.saveActivity(flag);
    await this.send(instance, flag, inbox);
  }

  private async inboxOf(iri: string): Promise<string | undefined> {
    const actor = await this.o.apex.resolveObject(iri);
    const endpoints = actor?.endpoints as Array<Record<string, unknown>> | undefined;
    const shared = endpoints?.[0]?.sharedInbox as string[] | string | undefined;
    return (Array.isArray(shared) ? shared[0] : shared) ?? (actor?.inbox as string[] | undefined)?.[0];
  }

  private async send(actor: ApexObject, activity: ApexObject, inbox: string): Promise<void> {
    const outgoing = (await this.o.apex.toJSONLD(activity)) as unknown as typeof activity;
    await this.o.apex.queueForDelivery(actor, outgoing, [inbox]);
    this.o.onQueued();
  }
}
