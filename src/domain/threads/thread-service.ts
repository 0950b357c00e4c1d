import type { Database } from '../../storage/database.js';
import { belongsToCircle, findCircleById, touchCircle } from '../../storage/repositories/circle-repository.js';
import * as posts from '../../storage/repositories/post-repository.js';
import { reactionCounts } from '../../storage/repositories/reaction-repository.js';
import * as threads from '../../storage/repositories/thread-repository.js';
import * as readMarks from '../../storage/repositories/thread-read-repository.js';
import type { CircleService } from '../circles/circle-service.js';
import { canSeeCircle, type Circle } from '../circles/circle.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError, type FieldErrors } from '../errors.js';
import type { DomainEvents } from '../events.js';
import { LIMITS, PAGE_SIZES } from '../limits.js';
import type { Member } from '../members/member.js';
import { NO_MENTIONS, type MentionLinks, type Mentions, type ResolvedMentions } from '../mentions/mentions.js';
import { optionalText, requiredText } from '../text-rules.js';
import { authorLanguage, chosenPostLanguage } from './post-language.js';
import { openPosting, type PostingPolicy } from './posting-policy.js';
import { DELETED_THREAD_TITLE, type Page, type Post, type PostRevision, type Thread, type ThreadSummary, type WaitingThread } from './thread.js';
import { msg } from '../../i18n/message.js';

/** Whose reading is recorded: active members only (visitors and pending members have no unread marks). */
function readerId(viewer: Member | undefined): number | null {
  return viewer && viewer.status === 'active' ? viewer.id : null;
}

/** How far back "Waiting for a reply" looks. */
export const WAITING_DAYS = 14;

/**
 * Turns a member's markdown into safe HTML (markdown-it + DOMPurify, injected);
 * async because it runs off the event loop. The @mentions in `mentions` become
 * links; any others stay text.
 */
export type RenderMarkdown = (source: string, mentions?: MentionLinks) => Promise<string>;

export interface PostInput {
  title?: string | undefined;
  body: string;
  contentWarning?: string | undefined;
  /** The post's language (a tag from POST_LANGUAGES); empty or absent: the author's (on an edit: as it was). */
  language?: string | undefined;
}

export interface ThreadView {
  circle: Circle;
  thread: Thread;
  posts: Page<Post>;
  /** Opening the page moved the reader's mark forward (one row of `thread_reads` written). */
  readMarkMoved: boolean;
}

export class ThreadService {
  constructor(
    private readonly db: Database,
    private readonly circles: CircleService,
    private readonly render: RenderMarkdown,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly policy: PostingPolicy = openPosting,
    /** @mentions: without it, nobody is mentioned (every @handle stays text). */
    private readonly mentions?: Mentions,
  ) {}

  async startThread(actor: Member | undefined, circleSlug: string, input: PostInput): Promise<{ thread: Thread; post: Post }> {
    const member = requireMember(actor);
    const circle = await this.circles.get(circleSlug, member);
    const errors: FieldErrors = {};
    const title = requiredText(errors, 'title', input.title, msg('circles.label.title'), LIMITS.title);
    const { mentions, ...content } = await this.checkContent(errors, input, circle, await authorLanguage(this.db, member));
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.clock.now();
    const { held, why } = await this.policy.check({ memberId: member.id, circleId: circle.id, threadId: null, source: content.source, contentWarning: content.contentWarning, at });
    const ids = await this.db.transaction(async (tx) => {
      const threadId = await threads.insertThread(tx, { circleId: circle.id, title, authorId: member.id, at });
      const postId = await posts.insertPost(tx, { threadId, authorId: member.id, isOpening: true, ...content, at, state: held ? 'held' : 'visible', heldReason: why ?? null });
      await this.mentions?.record(tx, postId, mentions);
      await touchCircle(tx, circle.id, at);
      await this.events.record(tx, 'thread.started', { threadId, postId, circleId: circle.id, authorId: member.id });
      return { threadId, postId };
    });
    await this.events.emit('thread.started', { ...ids, circleId: circle.id, authorId: member.id });
    return { thread: (await threads.findThread(this.db, ids.threadId))!, post: (await posts.findPost(this.db, ids.postId))! };
  }

  async reply(actor: Member | undefined, threadId: number, input: PostInput): Promise<Post> {
    const member = requireMember(actor);
    const { circle } = await this.visibleThread(threadId, member);
    const errors: FieldErrors = {};
    const { mentions, ...content } = await this.checkContent(errors, input, circle, await authorLanguage(this.db, member));
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.clock.now();
    const { held, why } = await this.policy.check({ memberId: member.id, circleId: circle.id, threadId, source: content.source, contentWarning: content.contentWarning, at });
    const postId = await this.db.transaction(async (tx) => {
      if (!(await threads.lockThread(tx, threadId))) throw new NotFoundError(msg('circles.error.thread_gone'));
      const id = await posts.insertPost(tx, { threadId, authorId: member.id, isOpening: false, ...content, at, state: held ? 'held' : 'visible', heldReason: why ?? null });
      await this.mentions?.record(tx, id, mentions);
      await threads.recordReply(tx, threadId, at);
      await touchCircle(tx, circle.id, at);
      await this.events.record(tx, 'post.replied', { threadId, postId: id, circleId: circle.id, authorId: member.id });
      return id;
    });
    await this.events.emit('post.replied', { threadId, postId, circleId: circle.id, authorId: member.id });
    return (await posts.findPost(this.db, postId))!;
  }

  /** A post the actor wrote and may still change, with its thread and circle. */
  async ownPost(actor: Member | undefined, postId: number): Promise<{ post: Post; thread: Thread; circle: Circle }> {
    const member = requireMember(actor);
    const post = await posts.findPost(this.db, postId);
    if (!post) throw new NotFoundError(msg('circles.error.post_gone'));
    const { thread, circle } = await this.visibleThread(post.threadId, member);
    if (post.authorId !== member.id) throw new ForbiddenError(msg('circles.error.own_posts_only'));
    if (post.state === 'deleted') throw new NotFoundError(msg('circles.error.post_deleted'));
    return { post, thread, circle };
  }

  async edit(actor: Member | undefined, postId: number, input: PostInput): Promise<Post> {
    const { post, thread, circle } = await this.ownPost(actor, postId);
    const errors: FieldErrors = {};
    const title = post.isOpening ? requiredText(errors, 'title', input.title, msg('circles.label.title'), LIMITS.title) : null;
    const { mentions, ...content } = await this.checkContent(errors, input, circle, post.language ?? (await authorLanguage(this.db, requireMember(actor))));
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await this.db.transaction(async (tx) => {
      await posts.replacePostContent(tx, { id: post.id, title, ...content, at: this.clock.now() });
      // Mentions added by the edit are recorded; those already there stay (and are not told again).
      await this.mentions?.record(tx, post.id, mentions);
      if (title !== null && title !== thread.title) await threads.setThreadTitle(tx, thread.id, title);
      await this.events.record(tx, 'post.edited', { threadId: thread.id, postId, circleId: circle.id, authorId: post.authorId! });
    });
    await this.events.emit('post.edited', { threadId: thread.id, postId, circleId: circle.id, authorId: post.authorId! });
    return (await posts.findPost(this.db, postId))!;
  }

  async delete(actor: Member | undefined, postId: number): Promise<{ thread: Thread; circle: Circle }> {
    const { post, thread, circle } = await this.ownPost(actor, postId);
    await this.db.transaction(async (tx) => {
      await posts.markPostDeleted(tx, post.id, this.clock.now());
      if (post.isOpening) await threads.setThreadTitle(tx, thread.id, DELETED_THREAD_TITLE);
      await this.events.record(tx, 'post.deleted', { threadId: thread.id, postId, circleId: circle.id, authorId: post.authorId! });
    });
    await this.events.emit('post.deleted', { threadId: thread.id, postId, circleId: circle.id, authorId: post.authorId! });
    return { thread, circle };
  }

  /** A circle's threads, one page; with the viewer's unread marks when a member reads them. */
  async listThreads(circle: Circle, page: number, viewer?: Member): Promise<Page<ThreadSummary>> {
    const result = await threads.listThreadsInCircle(this.db, circle.id, page, PAGE_SIZES.threadsPerPage, readerId(viewer));
    if (page > result.pageCount) throw new NotFoundError(msg('circles.error.threads_page_empty'));
    return result;
  }

  /** The thread page; the circle in the URL must be the thread's own. */
  async view(circleSlug: string, threadId: number, viewer: Member | undefined, page: number): Promise<ThreadView> {
    const { thread, circle } = await this.visibleThread(threadId, viewer);
    if (circle.slug !== circleSlug) throw new NotFoundError(msg('circles.error.not_in_this_circle'));
    const result = await posts.listPostsInThread(this.db, thread.id, page, PAGE_SIZES.postsPerPage);
    if (page > result.pageCount) throw new NotFoundError(msg('circles.error.thread_page_empty'));
    const counts = await reactionCounts(this.db, result.items.map((p) => p.id), viewer?.id);
    for (const post of result.items) post.reactions = counts.get(post.id) ?? [];
    // Opening a page of the thread reads it up to the last post shown (the mark only moves forward).
    const last = result.items[result.items.length - 1];
    const reader = readerId(viewer);
    const readMarkMoved = !!last && reader !== null && (await readMarks.markThreadRead(this.db, reader, thread.id, last.id, this.clock.now()));
    return { circle, thread, posts: result, readMarkMoved };
  }

  /** The most recently active threads the viewer may see, with their unread marks (the home page). */
  recent(viewer: Member | undefined, limit = 8): Promise<ThreadSummary[]> {
    return threads.listRecentThreads(this.db, readerId(viewer), limit);
  }

  /**
   * Where a member's reading of a thread goes on: the page and id of the first
   * post by someone else they haven't read, or nothing when they've read it all.
   */
  async firstUnread(circleSlug: string, threadId: number, viewer: Member | undefined): Promise<{ page: number; postId: number } | undefined> {
    const { thread, circle } = await this.visibleThread(threadId, viewer);
    if (circle.slug !== circleSlug) throw new NotFoundError(msg('circles.error.not_in_this_circle'));
    const reader = readerId(viewer);
    if (reader === null) return undefined;
    const post = await readMarks.firstUnreadPost(this.db, reader, thread.id);
    if (!post) return undefined;
    return { page: await this.pageOf(post), postId: post.id };
  }

  /** "Mark this circle read": every thread in it, up to its last post. */
  async markCircleRead(actor: Member | undefined, circleSlug: string): Promise<Circle> {
    const member = requireMember(actor);
    const circle = await this.circles.get(circleSlug, member);
    await readMarks.markCircleRead(this.db, member.id, circle.id, this.clock.now());
    return circle;
  }

  /** The time on the domain's clock (lists say "3 hours ago" from it). */
  now(): Date {
    return this.clock.now();
  }

  /** The page of its thread that a post is on. */
  async pageOf(post: Pick<Post, 'id' | 'threadId' | 'createdAt'>): Promise<number> {
    return Math.floor((await posts.positionInThread(this.db, post)) / PAGE_SIZES.postsPerPage) + 1;
  }

  /** Where a post lives, for its permalink. */
  async locate(postId: number, viewer: Member | undefined): Promise<{ post: Post; circle: Circle }> {
    const post = await posts.findPost(this.db, postId);
    if (!post) throw new NotFoundError(msg('circles.error.no_post_here'));
    const { circle } = await this.visibleThread(post.threadId, viewer);
    return { post, circle };
  }

  async history(postId: number, viewer: Member | undefined): Promise<{ post: Post; thread: Thread; circle: Circle; revisions: PostRevision[] }> {
    const post = await posts.findPost(this.db, postId);
    if (!post || post.state !== 'visible') throw new NotFoundError(msg('circles.error.history_unavailable'));
    const { thread, circle } = await this.visibleThread(post.threadId, viewer);
    return { post, thread, circle, revisions: await posts.listRevisions(this.db, postId) };
  }

  /** A post with its thread and circle, as visitors (and other servers) may see it. */
  async publicPost(postId: number): Promise<{ post: Post; thread: Thread; circle: Circle; openingPostId: number }> {
    const post = await posts.findPost(this.db, postId);
    if (!post) throw new NotFoundError(msg('circles.error.no_post_here'));
    const { thread, circle } = await this.visibleThread(post.threadId, undefined);
    const openingPostId = (await posts.findOpeningPostId(this.db, thread.id)) ?? post.id;
    return { post, thread, circle, openingPostId };
  }

  /** A public thread and the ids of its visible posts, in order. */
  async publicThread(circleSlug: string, threadId: number): Promise<{ thread: Thread; circle: Circle; postIds: number[] }> {
    const { thread, circle } = await this.visibleThread(threadId, undefined);
    if (circle.slug !== circleSlug) throw new NotFoundError(msg('circles.error.not_in_this_circle'));
    return { thread, circle, postIds: await posts.listVisiblePostIds(this.db, threadId, 1000) };
  }

  /** Threads still waiting for a first reply, oldest first, from the last `WAITING_DAYS` days. */
  waiting(viewer: Member | undefined, limit = 50): Promise<WaitingThread[]> {
    const since = new Date(this.clock.now().getTime() - WAITING_DAYS * 86_400_000);
    return threads.listWaitingThreads(this.db, { since, viewerId: viewer && viewer.status === 'active' ? viewer.id : null, limit });
  }

  /** The author says "I'm okay now" (or takes it back): the thread leaves (or rejoins) the waiting list. */
  async setResolved(actor: Member | undefined, circleSlug: string, threadId: number, resolved: boolean): Promise<Thread> {
    const member = requireMember(actor);
    const { thread, circle } = await this.visibleThread(threadId, member);
    if (circle.slug !== circleSlug) throw new NotFoundError(msg('circles.error.not_in_this_circle'));
    if (thread.authorId !== member.id) throw new ForbiddenError(msg('circles.error.only_starter'));
    await threads.setThreadResolved(this.db, thread.id, resolved ? this.clock.now() : null);
    return (await threads.findThread(this.db, thread.id))!;
  }

  /** A member's recent posts in public circles, for their profile. */
  recentPublicPostsBy(authorId: number): ReturnType<typeof posts.listRecentPublicPostsBy> {
    return posts.listRecentPublicPostsBy(this.db, authorId, 20);
  }

  private async visibleThread(threadId: number, viewer: Member | undefined): Promise<{ thread: Thread; circle: Circle }> {
    const thread = await threads.findThread(this.db, threadId);
    const circle = thread && thread.circleId !== null ? await findCircleById(this.db, thread.circleId) : undefined;
    // Whether the viewer belongs matters only for a members-only circle (one statement less for a public one).
    if (!thread || !circle || !canSeeCircle(circle, viewer, circle.visibility === 'public' || (!!viewer && (await belongsToCircle(this.db, circle.id, viewer.id)))))
      throw new NotFoundError(msg('circles.error.no_thread_here'));
    return { thread, circle };
  }

  /**
   * The post's text checked and rendered, with who it mentions. People on
   * other servers are looked up only for public circles: a members-only
   * circle's posts never leave the instance.
   */
  private async checkContent(
    errors: FieldErrors,
    input: PostInput,
    circle: Circle,
    /** The language when the form chose none: the author's, or (an edit) the post's. */
    defaultLanguage: string | null,
  ): Promise<{ source: string; html: string; contentWarning: string | null; language: string | null; mentions: ResolvedMentions }> {
    const source = requiredText(errors, 'body', input.body, msg('circles.label.body'), LIMITS.body);
    const cw = optionalText(errors, 'contentWarning', input.contentWarning, msg('circles.label.content_warning'), LIMITS.contentWarning);
    const language = chosenPostLanguage(errors, input.language, defaultLanguage);
    if (errors.body) return { source, html: '', contentWarning: null, language, mentions: NO_MENTIONS };
    const mentions = this.mentions && Object.keys(errors).length === 0 ? await this.mentions.resolve(source, { remote: circle.visibility === 'public' }) : NO_MENTIONS;
    return { source, html: await this.render(source, mentions.links), contentWarning: cw === '' ? null : cw, language, mentions };
  }
}

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError(msg('circles.error.log_in_to_post'));
  if (actor.status !== 'active') throw new ForbiddenError(msg('circles.error.cannot_post'));
  return actor;
}
