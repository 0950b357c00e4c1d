import type { Database, Queryable } from '../../storage/database.js';
import * as posts from '../../storage/repositories/post-repository.js';
import * as circles from '../../storage/repositories/remote-circle-repository.js';
import type { FollowedCircle, RemoteCircle } from '../../storage/repositories/remote-circle-repository.js';
import { upsertRemoteActor } from '../../storage/repositories/remote-actor-repository.js';
import * as threads from '../../storage/repositories/thread-repository.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError, type FieldErrors } from '../errors.js';
import type { DomainEvents } from '../events.js';
import { LIMITS, PAGE_SIZES } from '../limits.js';
import type { Member } from '../members/member.js';
import { NO_MENTIONS, type Mentions } from '../mentions/mentions.js';
import { requiredText, optionalText } from '../text-rules.js';
import { authorLanguage, chosenPostLanguage } from '../threads/post-language.js';
import type { IncomingPost } from '../threads/remote-post-service.js';
import type { RenderMarkdown } from '../threads/thread-service.js';
import type { Page, Post, Thread, ThreadSummary } from '../threads/thread.js';
import { msg } from '../../i18n/message.js';

/** How the federation layer finds and follows a circle elsewhere (injected: the domain does no networking). */
export interface RemoteGroups {
  /** Finds a group by @name@host or URL; throws ValidationError with a message for people. */
  lookup(query: string): Promise<Omit<RemoteCircle, 'id'>>;
  /** Sends the member's Follow; returns the Follow's IRI. */
  follow(member: Member, group: RemoteCircle): Promise<string>;
}

/**
 * Circles on other servers that members follow from here: finding and
 * following them, their threads as they arrive, and members' replies to them.
 */
export class FollowedCircleService {
  constructor(
    private readonly db: Database,
    private readonly groups: RemoteGroups,
    private readonly render: RenderMarkdown,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    /** Told of each post stored from a followed circle, inside its transaction (the notifications of its watchers). */
    private readonly onReceived: (tx: Queryable, postId: number) => Promise<void> = async () => undefined,
    /** @mentions: without it, nobody is mentioned (every @handle stays text). */
    private readonly mentions?: Mentions,
  ) {}

  async follow(actor: Member | undefined, query: string): Promise<RemoteCircle> {
    const member = requireMember(actor);
    const q = query.trim();
    if (q === '' || q.length > 300) throw new ValidationError({ q: msg('circles.error.type_address') });
    const found = await this.groups.lookup(q);
    const circle = await circles.upsertRemoteCircle(this.db, found);
    const existing = (await circles.listFollowedBy(this.db, member.id)).find((c) => c.id === circle.id);
    if (existing) return circle;
    const followIri = await this.groups.follow(member, circle);
    await circles.insertFollow(this.db, member.id, circle.id, followIri);
    return circle;
  }

  accepted(followIri: string): Promise<boolean> {
    return circles.markFollowAccepted(this.db, followIri);
  }

  async followed(actor: Member | undefined): Promise<FollowedCircle[]> {
    return circles.listFollowedBy(this.db, requireMember(actor).id);
  }

  async circle(actor: Member | undefined, id: number, page: number): Promise<{ circle: RemoteCircle; threads: Page<ThreadSummary> }> {
    requireMember(actor);
    const circle = await circles.findRemoteCircle(this.db, id);
    if (!circle) throw new NotFoundError(msg('circles.error.followed_not_here'));
    const list = await threads.listThreadsInRemoteCircle(this.db, id, page, PAGE_SIZES.threadsPerPage);
    if (page > list.pageCount) throw new NotFoundError(msg('circles.error.threads_page_empty'));
    return { circle, threads: list };
  }

  async thread(actor: Member | undefined, circleId: number, threadId: number, page: number): Promise<{ circle: RemoteCircle; thread: Thread; posts: Page<Post> }> {
    requireMember(actor);
    const thread = await threads.findThread(this.db, threadId);
    const circle = thread && thread.remoteCircleId === circleId ? await circles.findRemoteCircle(this.db, circleId) : undefined;
    if (!thread || !circle) throw new NotFoundError(msg('circles.error.followed_thread_not_here'));
    const list = await posts.listPostsInThread(this.db, threadId, page, PAGE_SIZES.postsPerPage);
    if (page > list.pageCount) throw new NotFoundError(msg('circles.error.thread_page_empty'));
    return { circle, thread, posts: list };
  }

  /** A member replies to a thread of a circle elsewhere; federation sends it there. */
  async reply(actor: Member | undefined, circleId: number, threadId: number, input: { body: string; contentWarning?: string; language?: string }): Promise<Post> {
    const member = requireMember(actor);
    const { thread } = await this.thread(member, circleId, threadId, 1);
    const errors: FieldErrors = {};
    const source = requiredText(errors, 'body', input.body, msg('circles.label.reply'), LIMITS.body);
    const cw = optionalText(errors, 'contentWarning', input.contentWarning, msg('circles.label.content_warning'), LIMITS.contentWarning);
    const language = chosenPostLanguage(errors, input.language, await authorLanguage(this.db, member));
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const mentions = this.mentions ? await this.mentions.resolve(source, { remote: true }) : NO_MENTIONS;
    const html = await this.render(source, mentions.links);
    const at = this.clock.now();
    const postId = await this.db.transaction(async (tx) => {
      const id = await posts.insertPost(tx, {
        threadId: thread.id,
        authorId: member.id,
        isOpening: false,
        source,
        html,
        contentWarning: cw === '' ? null : cw,
        language,
        at,
      });
      await this.mentions?.record(tx, id, mentions);
      await threads.recordReply(tx, thread.id, at);
      await this.events.record(tx, 'post.replied', { threadId: thread.id, postId: id, circleId: null, authorId: member.id });
      return id;
    });
    await this.events.emit('post.replied', { threadId: thread.id, postId, circleId: null, authorId: member.id });
    return (await posts.findPost(this.db, postId))!;
  }

  /** A member's reply to a thread elsewhere, with what federation needs to send it there. */
  async outgoing(postId: number): Promise<{ post: Post; circle: RemoteCircle; inReplyTo: string } | undefined> {
    const post = await posts.findPost(this.db, postId);
    const thread = post && (await threads.findThread(this.db, post.threadId));
    if (!post || !thread || thread.remoteCircleId === null || post.authorId === null) return undefined;
    const circle = await circles.findRemoteCircle(this.db, thread.remoteCircleId);
    const openingId = await posts.findOpeningPostId(this.db, thread.id);
    const opening = openingId === undefined ? undefined : await posts.findPost(this.db, openingId);
    if (!circle || !opening?.apId) return undefined;
    return { post, circle, inReplyTo: opening.apId };
  }

  /**
   * A post a followed circle passed on (announced): a new thread, or a reply
   * placed by what it replies to. Ignored when nobody here follows that circle.
   */
  /** Does someone here follow this circle elsewhere? (Announces from others are ignored.) */
  async isFollowed(groupIri: string): Promise<boolean> {
    return !!(await circles.findFollowedRemoteCircle(this.db, groupIri));
  }

  async receive(
    groupIri: string,
    incoming: IncomingPost,
    inReplyTo: string | undefined,
    title: string,
    localPostIri: (id: number) => string,
  ): Promise<Post | undefined> {
    const circle = await circles.findFollowedRemoteCircle(this.db, groupIri);
    if (!circle) return undefined;
    if (await posts.findPostIdByApId(this.db, incoming.apId)) return undefined;
    const at = incoming.published > this.clock.now() ? this.clock.now() : incoming.published;
    let parentThread: number | undefined;
    if (inReplyTo) {
      const local = /\/p\/(\d{1,10})$/.exec(inReplyTo);
      const parentId = local && localPostIri(Number(local[1])) === inReplyTo ? Number(local[1]) : await posts.findPostIdByApId(this.db, inReplyTo);
      const parent = parentId === undefined ? undefined : await posts.findPost(this.db, parentId);
      const parentThreadRow = parent && (await threads.findThread(this.db, parent.threadId));
      if (!parentThreadRow || parentThreadRow.remoteCircleId !== circle.id) return undefined;
      parentThread = parentThreadRow.id;
    }
    const ids = await this.db.transaction(async (tx) => {
      const remoteAuthorId = await upsertRemoteActor(tx, incoming.author);
      const threadId =
        parentThread ??
        (await threads.insertRemoteThread(tx, { remoteCircleId: circle.id, title: title.slice(0, LIMITS.title) || 'A thread', remoteAuthorId, at }));
      const postId = await posts.insertRemotePost(tx, {
        threadId,
        remoteAuthorId,
        apId: incoming.apId,
        isOpening: parentThread === undefined,
        html: incoming.html,
        contentWarning: incoming.contentWarning,
        language: incoming.language ?? null,
        at,
      });
      if (postId !== undefined && parentThread !== undefined) await threads.recordReply(tx, threadId, at);
      // Mentions first: the watchers' notifications tell the people mentioned.
      if (postId !== undefined) await this.mentions?.recordMembers(tx, postId, incoming.mentionedHandles);
      if (postId !== undefined) await this.onReceived(tx, postId);
      return postId === undefined ? undefined : { threadId, postId };
    });
    return ids && posts.findPost(this.db, ids.postId);
  }
}

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError();
  if (actor.status !== 'active') throw new ForbiddenError(msg('circles.error.cannot_do_that'));
  return actor;
}
