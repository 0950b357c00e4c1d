import type { Apex, ApexObject } from 'activitypub-express';
import type { Logger } from 'pino';
import type { DomainEvents, PostEvent, ReactionEvent } from '../domain/events.js';
import { REACTIONS } from '../domain/reactions/reaction.js';
import type { Services } from '../services.js';
import type { ActorIris } from './actor-iris.js';
import type { LocalActors } from './local-actors.js';
import { mentionFields, noteIris, serializeNote, serializeTombstone, type NoteIris, type NoteMention } from './serializers/note.js';
import { firstString } from './incoming-notes.js';
import { AS_PUBLIC, HEARTH_CONTEXT } from './vocabulary.js';
import type { FollowedCircleService } from '../domain/followed/followed-circle-service.js';
import { NotFoundError } from '../domain/errors.js';
import type { FollowersAddressing } from './followers-addressing.js';

/** At most this many people elsewhere receive a post because it mentions them (the domain resolves at most 10 per version). */
const MAX_MENTIONED_DELIVERIES = 20;

/**
 * Turns what members do into activities (FEP-1b12): the member's Create,
 * Update or Delete is addressed to the circle, and the circle Announces it to
 * its followers, both as the bare Note (what Mastodon shows, as a boost) and
 * as the activity (what Lemmy, NodeBB and other group servers read). Replies
 * that arrived from other servers are announced too. Members-only circles
 * send nothing.
 */
export class OutboxPublisher {
  private readonly iris: NoteIris;

  constructor(
    private readonly o: {
      apex: Apex;
      services: Omit<Services, 'followed'>;
      localActors: LocalActors;
      followed: FollowedCircleService;
      origin: string;
      iris: ActorIris;
      logger: Logger;
      onQueued: () => void;
      /** Followers' inboxes in one query (not apex's per-follower addressing). */
      addressing: FollowersAddressing;
    },
  ) {
    this.iris = noteIris(o.iris, o.origin);
  }

  subscribe(events: DomainEvents): void {
    // Run by the outbox worker (the events were recorded with the change), which logs a failure and tries again.
    const run = (kind: 'Create' | 'Update' | 'Delete') => (e: PostEvent) => this.publish(kind, e);
    events.onDurable('thread.started', run('Create'));
    events.onDurable('post.replied', run('Create'));
    events.onDurable('post.edited', run('Update'));
    events.onDurable('post.deleted', run('Delete'));
    const react = (give: boolean) => (e: ReactionEvent) => this.reaction(give, e);
    events.onDurable('reaction.given', react(true));
    events.onDurable('reaction.taken_back', react(false));
  }

  /**
   * A member's reaction on a post from another server reaches its author as a
   * Like (with the reaction's emoji as content, which some servers show); taking
   * it back sends the Undo. Reactions on local posts stay here.
   */
  private async reaction(give: boolean, e: ReactionEvent): Promise<void> {
    const found = await this.o.services.threads.locate(e.postId, undefined).catch(() => undefined);
    const post = found?.post;
    if (!found || !post?.apId || !post.remoteAuthor || found.circle.visibility !== 'public') return;
    const member = await this.o.services.members.findById(e.memberId);
    if (!member) return;
    const actor = await this.o.localActors.member(member.handle);
    const author = await this.o.apex.resolveObject(post.remoteAuthor.iri);
    const inbox = (author?.inbox as string[] | undefined)?.[0];
    if (!inbox) return;
    const outbox = (actor.outbox as string[])[0]!;
    let activity;
    if (give) {
      const emoji = REACTIONS.find((r) => r.kind === e.kind)?.emoji ?? '';
      activity = await this.o.apex.buildActivity('Like', actor.id, [post.remoteAuthor.iri], { object: post.apId, content: emoji });
    } else {
      const like = await this.o.apex.store.findActivityByCollectionAndObjectId(outbox, post.apId);
      if (!like) return;
      activity = await this.o.apex.buildActivity('Undo', actor.id, [post.remoteAuthor.iri], { object: like });
    }
    this.o.apex.addMeta(activity, 'collection', outbox);
    await this.o.apex.store.saveActivity(activity);
    const outgoing = (await this.o.apex.toJSONLD(activity)) as unknown as typeof activity;
    await this.o.apex.queueForDelivery(actor, outgoing, [inbox]);
    this.o.onQueued();
  }

  async publish(kind: 'Create' | 'Update' | 'Delete', e: PostEvent): Promise<void> {
    if (e.circleId === null) {
      if (!e.remote) await this.replyElsewhere(kind, e.postId);
      return;
    }
    let found;
    try {
      found = await this.o.services.threads.publicPost(e.postId);
    } catch (error) {
      // A members-only circle, or gone meanwhile: nothing leaves the instance.
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const { post, thread, circle, openingPostId } = found;
    if (circle.visibility !== 'public') return;
    // Posts waiting for review or hidden by moderators stay here until shown.
    if (kind !== 'Delete' && post.state !== 'visible') return;
    const group = await this.o.localActors.circle(circle.slug);
    const circleIri = this.o.iris.circle(circle.slug);
    const followers = `${circleIri}/followers`;

    if (post.remoteAuthor) {
      // Someone elsewhere replied: the circle passes it on to its followers.
      if (kind !== 'Create' || !post.apId) return;
      await this.announce(group, post.apId, followers, await this.o.addressing.inboxes(group));
      return;
    }
    if (!post.author) return;
    // Members who chose to keep their posts on this instance: nothing new leaves
    // (a Delete still does, for whatever went out before they chose).
    const author = await this.o.services.members.getByHandle(post.author.handle).catch(() => undefined);
    if (!author || (!author.federatePosts && kind !== 'Delete')) return;
    const member = await this.o.localActors.member(post.author.handle);
    const mentioned = await this.mentioned(post.id);
    const object =
      kind === 'Delete'
        ? serializeTombstone(post, this.iris)
        : serializeNote(post, thread, circle, this.iris, openingPostId, mentioned.tags);
    const activity = await this.o.apex.buildActivity(kind, member.id, [AS_PUBLIC], {
      object: await this.o.apex.fromJSONLD(object),
      cc: [circleIri, followers, ...mentionFields(mentioned.tags).cc],
      audience: circleIri,
    });
    // The member's activity goes to their outbox and, through the circle, out.
    this.o.apex.addMeta(activity, 'collection', (member.outbox as string[])[0]!);
    await this.o.apex.store.saveActivity(activity);
    // The circle's followers' inboxes, looked up once for both activities they get.
    const inboxes = await this.o.addressing.inboxes(group);
    // Mastodon shows a new Note boosted by the circle; edits and deletions
    // reach it only from the author, so those are also sent as the member.
    if (kind === 'Create') await this.announce(group, activity.object, followers, inboxes);
    else await this.sendAs(member, activity, inboxes);
    await this.announce(group, activity, followers, inboxes);
    // People elsewhere it mentions get it from the member, whether or not they follow the circle.
    await this.sendTo(member, activity, mentioned.inboxes);
  }

  /**
   * Who a member's post mentions: Mention tags for members here and people
   * elsewhere, and the inboxes of those elsewhere (their actors resolved
   * through apex, which keeps them). Someone whose actor cannot be found
   * now is left out.
   */
  private async mentioned(postId: number): Promise<{ tags: NoteMention[]; inboxes: string[] }> {
    const { memberHandles, remoteActorIris } = await this.o.services.mentions.of(postId);
    const host = new URL(this.o.origin).host;
    const tags: NoteMention[] = memberHandles.map((h) => ({ href: this.o.iris.member(h), name: `@${h}@${host}`, remote: false }));
    const inboxes: string[] = [];
    for (const iri of remoteActorIris.slice(0, MAX_MENTIONED_DELIVERIES)) {
      let actor;
      try {
        actor = await this.o.apex.resolveObject(iri);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        this.o.logger.info({ actor: iri, err: error.message }, 'a mentioned account could not be reached; the post goes out without it');
        continue;
      }
      const inbox = firstString(actor?.inbox);
      if (!actor || !inbox) continue;
      const user = firstString(actor.preferredUsername);
      tags.push({ href: iri, remote: true, ...(user ? { name: `@${user}@${new URL(iri).host}` } : {}) });
      if (!inboxes.includes(inbox)) inboxes.push(inbox);
    }
    return { tags, inboxes };
  }

  /** Delivers a member's activity (already saved) to these inboxes. */
  private async sendTo(member: ApexObject, activity: ApexObject, inboxes: string[]): Promise<void> {
    if (inboxes.length === 0) return;
    const outgoing = (await this.o.apex.toJSONLD(activity)) as unknown as typeof activity;
    await this.o.apex.queueForDelivery(member, outgoing, inboxes);
    this.o.onQueued();
  }

  /** A member's reply to a thread of a circle on another server goes to that circle's inbox. */
  private async replyElsewhere(kind: 'Create' | 'Update' | 'Delete', postId: number): Promise<void> {
    const found = await this.o.followed.outgoing(postId);
    if (!found || !found.post.author) return;
    const { post, circle, inReplyTo } = found;
    const member = await this.o.localActors.member(found.post.author.handle);
    const mentioned = await this.mentioned(post.id);
    const { tag, cc } = mentionFields(mentioned.tags);
    const note: Record<string, unknown> = kind === 'Delete' ? serializeTombstone(post, this.iris) : {
      id: this.iris.post(post.id),
      type: 'Note',
      attributedTo: member.id,
      content: post.html,
      mediaType: 'text/html',
      source: { content: post.source, mediaType: 'text/markdown' },
      inReplyTo,
      published: post.createdAt.toISOString(),
      to: [AS_PUBLIC],
      cc: [circle.iri, ...cc],
      audience: circle.iri,
      ...(tag.length > 0 ? { tag } : {}),
      sensitive: post.contentWarning !== null,
      ...(post.contentWarning !== null ? { summary: post.contentWarning } : {}),
      // The post's language, as the circle's Notes say it.
      ...(post.language !== null ? { contentMap: { [post.language]: post.html } } : {}),
      ...(post.language !== null && post.contentWarning !== null ? { summaryMap: { [post.language]: post.contentWarning } } : {}),
    };
    const create = await this.o.apex.buildActivity(kind, member.id, [AS_PUBLIC], {
      object: await this.o.apex.fromJSONLD({ '@context': HEARTH_CONTEXT, ...note }),
      cc: [circle.iri, ...cc],
      audience: circle.iri,
    });
    this.o.apex.addMeta(create, 'collection', (member.outbox as string[])[0]!);
    await this.o.apex.store.saveActivity(create);
    const outgoing = (await this.o.apex.toJSONLD(create)) as unknown as typeof create;
    const circleInbox = circle.sharedInbox ?? circle.inbox;
    await this.o.apex.queueForDelivery(member, outgoing, [circleInbox, ...mentioned.inboxes.filter((i) => i !== circleInbox)]);
    this.o.onQueued();
  }

  /** The circle announces `object` to its followers (`inboxes`: their inboxes). */
  private async announce(group: ApexObject, object: unknown, followers: string, inboxes: string[]): Promise<void> {
    const announce = await this.o.apex.buildActivity('Announce', group.id, [AS_PUBLIC], { object, cc: [followers], audience: group.id });
    await this.o.addressing.addToOutbox(group, announce, inboxes);
    this.o.onQueued();
  }

  /** Delivers a member's activity to the circle's followers (`inboxes`). */
  private async sendAs(member: ApexObject, activity: ApexObject, inboxes: string[]): Promise<void> {
    if ((await this.o.addressing.send(member, activity, member, inboxes)) > 0) this.o.onQueued();
  }
}
