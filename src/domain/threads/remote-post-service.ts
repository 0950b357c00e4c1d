import type { Database, Queryable } from '../../storage/database.js';
import { findCircleById, touchCircle } from '../../storage/repositories/circle-repository.js';
import * as posts from '../../storage/repositories/post-repository.js';
import * as reactions from '../../storage/repositories/reaction-repository.js';
import { upsertRemoteActor, type RemoteActorProfile } from '../../storage/repositories/remote-actor-repository.js';
import * as threads from '../../storage/repositories/thread-repository.js';
import type { CircleService } from '../circles/circle-service.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { DomainEvents } from '../events.js';
import { LIMITS } from '../limits.js';
import type { Mentions } from '../mentions/mentions.js';
import { primaryLanguageTag } from './post-language.js';
import type { Post } from './thread.js';
import { msg } from '../../i18n/message.js';

/** A post arriving from another server, already sanitised and checked by the federation layer. */
export interface IncomingPost {
  apId: string;
  author: RemoteActorProfile;
  html: string;
  contentWarning: string | null;
  published: Date;
  /** The language its Note says it is in (a primary tag); null or absent when it says none. */
  language?: string | null;
  /** Members of this instance it mentions (their handles, from its Mention tags); recorded with the post. */
  mentionedHandles?: string[];
}

/**
 * Posts from other servers: replies to Hearth threads and threads started in
 * a circle from elsewhere. They enter through the same rules as members'
 * posts (sizes), keep their ActivityPub id, and only their author may change
 * or delete them.
 */
export class RemotePostService {
  constructor(
    private readonly db: Database,
    private readonly circles: CircleService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    /** Moderation's answer to whether a remote account may post in a circle (not removed or muted there). */
    private readonly mayPost: (q: Queryable, remoteActorId: number, circleId: number) => Promise<boolean> = async () => true,
    /** Records the members a post from elsewhere mentions; without it, none are. */
    private readonly mentions?: Mentions,
    /** Told of a Like given to a post here, inside its transaction (the author's notification). */
    private readonly onLiked: (tx: Queryable, postId: number, remoteActorId: number) => Promise<void> = async () => undefined,
  ) {}

  /** The local post an IRI names: one of ours (/p/ID) or one we received (its ap_id). */
  async findByIri(iri: string, localPostIri: (id: number) => string): Promise<Post | undefined> {
    const match = /\/p\/(\d{1,10})$/.exec(iri);
    if (match && localPostIri(Number(match[1])) === iri) return posts.findPost(this.db, Number(match[1]));
    const id = await posts.findPostIdByApId(this.db, iri);
    return id === undefined ? undefined : posts.findPost(this.db, id);
  }

  /** A reply from another server; `replyToPostId` is the post it answers (its inReplyTo), for telling that post's author. */
  async receiveReply(threadId: number, input: IncomingPost, replyToPostId?: number): Promise<Post | undefined> {
    const checked = check(input);
    const thread = await threads.findThread(this.db, threadId);
    const circle = thread && thread.circleId !== null ? await findCircleById(this.db, thread.circleId) : undefined;
    if (!thread || !circle) throw new NotFoundError(msg('circles.error.remote_thread_not_here'));
    if (circle.visibility !== 'public') throw new ForbiddenError(msg('circles.error.members_only_no_remote'));
    const at = this.receivedAt(input.published);
    const postId = await this.db.transaction(async (tx) => {
      if (!(await threads.lockThread(tx, threadId))) throw new NotFoundError(msg('circles.error.remote_thread_not_here'));
      const remoteAuthorId = await upsertRemoteActor(tx, input.author);
      if (!(await this.mayPost(tx, remoteAuthorId, circle.id))) throw new ForbiddenError(msg('circles.error.removed_from_circle'));
      const id = await posts.insertRemotePost(tx, { threadId, remoteAuthorId, apId: input.apId, isOpening: false, ...checked, at });
      if (id === undefined) return undefined;
      await this.mentions?.recordMembers(tx, id, input.mentionedHandles);
      await threads.recordReply(tx, threadId, at);
      await touchCircle(tx, circle.id, at);
      await this.events.record(tx, 'post.replied', { threadId, postId: id, circleId: circle.id, authorId: null, remote: true, ...(replyToPostId ? { replyToPostId } : {}) });
      return id;
    });
    if (postId === undefined) return undefined;
    await this.events.emit('post.replied', { threadId, postId, circleId: circle.id, authorId: null, remote: true });
    return posts.findPost(this.db, postId);
  }

  async receiveThread(circleSlug: string, title: string, input: IncomingPost): Promise<Post | undefined> {
    const checked = check(input);
    const circle = await this.circles.getActor(circleSlug);
    if (circle.visibility !== 'public') throw new ForbiddenError(msg('circles.error.members_only_no_remote'));
    const cleanTitle = title.trim().slice(0, LIMITS.title) || 'A post from another server';
    const at = this.receivedAt(input.published);
    const ids = await this.db.transaction(async (tx) => {
      if (await posts.findPostIdByApId(tx, input.apId)) return undefined;
      const remoteAuthorId = await upsertRemoteActor(tx, input.author);
      if (!(await this.mayPost(tx, remoteAuthorId, circle.id))) throw new ForbiddenError(msg('circles.error.removed_from_circle'));
      const threadId = await threads.insertRemoteThread(tx, { circleId: circle.id, title: cleanTitle, remoteAuthorId, at });
      const postId = (await posts.insertRemotePost(tx, { threadId, remoteAuthorId, apId: input.apId, isOpening: true, ...checked, at }))!;
      await this.mentions?.recordMembers(tx, postId, input.mentionedHandles);
      await touchCircle(tx, circle.id, at);
      await this.events.record(tx, 'thread.started', { threadId, postId, circleId: circle.id, authorId: null, remote: true });
      return { threadId, postId };
    });
    if (!ids) return undefined;
    await this.events.emit('thread.started', { ...ids, circleId: circle.id, authorId: null, remote: true });
    return posts.findPost(this.db, ids.postId);
  }

  async update(
    apId: string,
    authorIri: string,
    input: { html: string; contentWarning: string | null; language?: string | null; mentionedHandles?: string[] },
  ): Promise<Post | undefined> {
    const post = await this.ownPost(apId, authorIri);
    if (!post) return undefined;
    const checked = check({ ...input, apId, author: post.remoteAuthor as unknown as RemoteActorProfile, published: post.createdAt });
    const thread = (await threads.findThread(this.db, post.threadId))!;
    const event = { threadId: post.threadId, postId: post.id, circleId: thread.circleId, authorId: null, remote: true };
    await this.db.transaction(async (tx) => {
      await posts.replacePostContent(tx, { id: post.id, title: null, source: checked.html, html: checked.html, contentWarning: checked.contentWarning, language: checked.language, at: this.clock.now() });
      // Members the edit newly mentions are recorded; those mentioned before stay.
      await this.mentions?.recordMembers(tx, post.id, input.mentionedHandles);
      await this.events.record(tx, 'post.edited', event);
    });
    await this.events.emit('post.edited', event);
    return posts.findPost(this.db, post.id);
  }

  async delete(apId: string, authorIri: string): Promise<boolean> {
    const post = await this.ownPost(apId, authorIri);
    if (!post) return false;
    const thread = (await threads.findThread(this.db, post.threadId))!;
    const event = { threadId: post.threadId, postId: post.id, circleId: thread.circleId, authorId: null, remote: true };
    await this.db.transaction(async (tx) => {
      await posts.markPostDeleted(tx, post.id, this.clock.now());
      await this.events.record(tx, 'post.deleted', event);
    });
    await this.events.emit('post.deleted', event);
    return true;
  }

  /** A Like from another server: an "I hear you" on the post. */
  async receiveLike(post: Post, actor: RemoteActorProfile, apId: string): Promise<boolean> {
    if (post.state !== 'visible') return false;
    const given = await this.db.transaction(async (tx) => {
      const remoteActorId = await upsertRemoteActor(tx, actor);
      const counted = await reactions.insertRemoteReaction(tx, { postId: post.id, kind: 'hear', remoteActorId, apId });
      if (counted) await this.onLiked(tx, post.id, remoteActorId);
      return counted;
    });
    if (given) await this.reactedFromElsewhere(post.id);
    return given;
  }

  /** Pages that show the post's reactions change (the visitors' page cache hears of it). */
  private async reactedFromElsewhere(postId: number): Promise<void> {
    const post = await posts.findPost(this.db, postId);
    const thread = post && (await threads.findThread(this.db, post.threadId));
    if (!post || !thread) return;
    await this.events.emit('reaction.from_elsewhere', { postId, threadId: thread.id, circleId: thread.circleId });
  }

  /** Whether `actorIri` gave the Like with this id (and it counts). */
  hasLike(apId: string, actorIri: string): Promise<boolean> {
    return reactions.remoteReactionExists(this.db, apId, actorIri);
  }

  /** The Like was taken back (Undo). */
  async removeLike(apId: string, actorIri: string): Promise<boolean> {
    const postId = await reactions.deleteRemoteReaction(this.db, apId, actorIri);
    if (postId === undefined) return false;
    await this.reactedFromElsewhere(postId);
    return true;
  }

  /** The post with this ActivityPub id, if `authorIri` wrote it; a stranger's claim is refused. */
  private async ownPost(apId: string, authorIri: string): Promise<Post | undefined> {
    const id = await posts.findPostIdByApId(this.db, apId);
    const post = id === undefined ? undefined : await posts.findPost(this.db, id);
    if (!post || post.state === 'deleted') return undefined;
    if (post.remoteAuthor?.iri !== authorIri) throw new ForbiddenError(msg('circles.error.only_author_changes'));
    return post;
  }

  /** A remote date in the future (or absurdly old) is replaced by the time it arrived. */
  private receivedAt(published: Date): Date {
    const now = this.clock.now();
    return Number.isNaN(published.getTime()) || published > now || published.getTime() < now.getTime() - 365 * 86_400_000 ? now : published;
  }
}

function check(input: Pick<IncomingPost, 'html' | 'contentWarning'> & Partial<IncomingPost>): { html: string; contentWarning: string | null; language: string | null } {
  if (input.html.trim() === '') throw new ValidationError({ body: msg('circles.error.remote_post_empty') });
  if (input.html.length > LIMITS.body * 2) throw new ValidationError({ body: msg('circles.error.remote_post_too_long') });
  const cw = input.contentWarning?.trim() ?? '';
  return { html: input.html, contentWarning: cw === '' ? null : cw.slice(0, LIMITS.contentWarning), language: primaryLanguageTag(input.language) };
}
