import type { Database, Queryable } from '../../storage/database.js';
import { mentionedMemberIds } from '../../storage/repositories/mention-repository.js';
import { removeReactionNotification } from '../../storage/repositories/notification-repository.js';
import { circleMembersAmong, postFacts, watchersOf, watchOnTakingPart, type PostFacts } from '../../storage/repositories/watch-repository.js';
import type { Clock } from '../clock.js';
import type { DomainEvents, PostEvent, ReactionEvent } from '../events.js';
import { PAGE_SIZES } from '../limits.js';
import type { NewNotification, NotificationKind } from './notification.js';
import type { Notifier } from './notifier.js';

/** Where a post is: its thread's page holding it, scrolled to it. */
export function postLink(p: Pick<PostFacts, 'postId' | 'threadId' | 'circleSlug' | 'remoteCircleId' | 'position'>): string {
  const page = Math.floor(p.position / PAGE_SIZES.postsPerPage) + 1;
  const thread = p.circleSlug !== null ? `/c/${p.circleSlug}/t/${p.threadId}` : `/f/${p.remoteCircleId}/t/${p.threadId}`;
  return `${thread}${page > 1 ? `?page=${page}` : ''}#post-${p.postId}`;
}

/** Which kind wins when one post concerns a member in several ways (one notification per member per post). */
const PRIORITY: NotificationKind[] = ['mention', 'reply', 'thread.new', 'post.new'];

/**
 * Notifications about posts and reactions, written by a durable job: the
 * outbox worker's `onDurable` handlers of `thread.started`, `post.replied`
 * (local and from other servers), `moderation.post_restored` (a held post
 * let through) and `reaction.given`. Each runs in one transaction after the
 * post's own commit (so the mentions written with the post are there) and
 * again after a failure: the unique indexes of migration 0024 make a second
 * run write nothing twice. Posts from circles followed elsewhere arrive
 * without events; federation calls `received` in their transaction.
 */
export class PostNotifications {
  constructor(
    private readonly db: Database,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  subscribe(events: DomainEvents): void {
    const post = (e: PostEvent) => this.db.transaction((tx) => this.posted(tx, e.postId, e.replyToPostId));
    events.onDurable('thread.started', post);
    events.onDurable('post.replied', post);
    events.onDurable('moderation.post_restored', post);
    events.onDurable('reaction.given', (e: ReactionEvent) => this.db.transaction((tx) => this.reacted(tx, e)));
    events.onDurable('reaction.taken_back', (e: ReactionEvent) => removeReactionNotification(this.db, e.postId, e.memberId, e.kind));
  }

  /** A post from a circle followed elsewhere was stored (inside that transaction). */
  received(tx: Queryable, postId: number): Promise<void> {
    return this.posted(tx, postId, undefined);
  }

  /** Tells the thread's author, the people mentioned, and the watchers of the thread and its circle. */
  async posted(tx: Queryable, postId: number, replyToPostId: number | undefined): Promise<void> {
    const p = await postFacts(tx, postId);
    if (!p || p.state !== 'visible') return;
    const at = this.clock.now();
    // Starting or replying to a thread watches it.
    if (p.authorId !== null) await watchOnTakingPart(tx, p.authorId, p.threadId, at);
    const chosen = new Map<number, NotificationKind>();
    const offer = (memberId: number | null | undefined, kind: NotificationKind) => {
      if (memberId === null || memberId === undefined) return;
      const current = chosen.get(memberId);
      if (current === undefined || PRIORITY.indexOf(kind) < PRIORITY.indexOf(current)) chosen.set(memberId, kind);
    };
    const watchers = new Map((await watchersOf(tx, p.threadId)).map((w) => [w.memberId, w.level]));
    for (const id of await mentionedMemberIds(tx, postId)) offer(id, 'mention');
    if (!p.isOpening) {
      const repliedTo = new Set<number>();
      if (p.threadAuthorId !== null) repliedTo.add(p.threadAuthorId);
      if (replyToPostId !== undefined) {
        const parent = await postFacts(tx, replyToPostId);
        if (parent?.authorId && parent.threadId === p.threadId) repliedTo.add(parent.authorId);
      }
      for (const id of repliedTo) if (watchers.get(id) !== 'nothing') offer(id, 'reply');
    }
    for (const [id, level] of watchers) if (level === 'every') offer(id, p.isOpening ? 'thread.new' : 'post.new');
    chosen.delete(p.authorId ?? -1);
    let recipients = [...chosen.keys()];
    // A members-only circle tells only its members.
    if (p.circleId !== null && !p.circlePublic) {
      const inside = await circleMembersAmong(tx, p.circleId, recipients);
      recipients = recipients.filter((id) => inside.has(id));
    }
    const link = postLink(p);
    const list: NewNotification[] = recipients.map((memberId) => ({
      memberId,
      kind: chosen.get(memberId)!,
      actorMemberId: p.authorId,
      actorRemoteId: p.remoteAuthorId,
      circleId: p.circleId,
      threadId: p.threadId,
      postId: p.postId,
      link,
    }));
    await this.notifier.notifyAll(tx, list);
  }

  /**
   * Members newly mentioned in a post, told in the transaction that recorded
   * the mention: a new post's (the durable run after it then finds them told,
   * one notification per member and post), or an edit's, which tells only the
   * people it adds.
   */
  async mentioned(tx: Queryable, postId: number, memberIds: readonly number[]): Promise<void> {
    const p = await postFacts(tx, postId);
    if (!p || p.state !== 'visible' || memberIds.length === 0) return;
    let recipients = memberIds.filter((id) => id !== p.authorId);
    if (p.circleId !== null && !p.circlePublic) {
      const inside = await circleMembersAmong(tx, p.circleId, recipients);
      recipients = recipients.filter((id) => inside.has(id));
    }
    const link = postLink(p);
    await this.notifier.notifyAll(
      tx,
      recipients.map((memberId) => ({
        memberId,
        kind: 'mention' as const,
        actorMemberId: p.authorId,
        actorRemoteId: p.remoteAuthorId,
        circleId: p.circleId,
        threadId: p.threadId,
        postId: p.postId,
        link,
      })),
    );
  }

  /** Tells a post's author that someone on another server said "I hear you" (a Like). */
  async likedFromElsewhere(tx: Queryable, postId: number, remoteActorId: number): Promise<void> {
    const p = await postFacts(tx, postId);
    if (!p || p.state !== 'visible' || p.authorId === null) return;
    await this.notifier.notify(tx, {
      memberId: p.authorId,
      kind: 'reaction',
      actorRemoteId: remoteActorId,
      circleId: p.circleId,
      threadId: p.threadId,
      postId: p.postId,
      link: postLink(p),
      details: { reaction: 'hear' },
    });
  }

  /** Tells a post's author of a reaction (grouped per post and kind on the page). */
  async reacted(tx: Queryable, e: ReactionEvent): Promise<void> {
    const p = await postFacts(tx, e.postId);
    if (!p || p.state !== 'visible' || p.authorId === null) return;
    await this.notifier.notify(tx, {
      memberId: p.authorId,
      kind: 'reaction',
      actorMemberId: e.memberId,
      circleId: p.circleId,
      threadId: p.threadId,
      postId: p.postId,
      link: postLink(p),
      details: { reaction: e.kind },
    });
  }
}
