import type { Apex, ApexObject } from 'activitypub-express';
import type { Logger } from 'pino';
import { HearthError } from '../domain/errors.js';
import type { FollowedCircleService } from '../domain/followed/followed-circle-service.js';
import type { RemotePostService } from '../domain/threads/remote-post-service.js';
import { htmlToPlainText, shorten } from '../content/plain-text.js';
import type { Moderation } from '../../moderation/index.js';
import type { MemberService } from '../domain/members/member-service.js';
import { firstObject, firstString, incomingPost, remoteProfile } from './incoming-notes.js';

export interface InboxEvent {
  actor: ApexObject;
  activity: ApexObject;
  recipient: ApexObject;
  object: ApexObject | undefined;
}

function ids(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v) => (typeof v === 'string' ? v : firstString(firstObject(v)?.id))).filter((v): v is string => !!v);
}

/**
 * The Follow an Accept or Reject answers, embedded whole (id, type, actor,
 * object) as Mastodon sends it: servers that do not keep their own Follows
 * can still tell what was accepted.
 */
function followObject(activity: ApexObject, actor: ApexObject, recipient: ApexObject): Record<string, unknown> {
  return { id: activity.id, type: 'Follow', actor: actor.id, object: recipient.id };
}

/**
 * A thread's title from a post without one: its first words, without the
 * mentions it starts with (`@voices@hearth.example does anyone…`).
 */
export function titleFromHtml(html: string): string {
  const text = htmlToPlainText(html);
  const withoutMentions = text.replace(/^(?:@[^\s@]+(?:@[^\s@]+)?\s*)+/, '');
  return shorten(withoutMentions === '' ? text : withoutMentions, 80);
}

/**
 * What Hearth does with an activity apex has checked and saved: accept
 * follows, place replies in their thread (by inReplyTo, whatever inbox they
 * came to), start threads addressed to a circle, apply authors' edits and
 * deletions.
 */
export function inboxHandler(o: {
  apex: Apex;
  remotePosts: RemotePostService;
  followed: FollowedCircleService;
  origin: string;
  logger: Logger;
  onQueued: () => void;
}): (event: InboxEvent) => Promise<void> {
  const localPostIri = (id: number) => `${o.origin}/p/${id}`;
  const circleSlugIn = (iris: string[]): string | undefined => {
    for (const iri of iris) {
      const m = iri.startsWith(`${o.origin}/c/`) ? /^\/c\/([a-z][a-z0-9_]{1,29})$/.exec(iri.slice(o.origin.length)) : null;
      if (m) return m[1];
    }
    return undefined;
  };

  const handlers: Record<string, (e: InboxEvent) => Promise<void>> = {
    async follow({ actor, activity, recipient }) {
      if (firstString(recipient.manuallyApprovesFollowers) === 'true' || recipient.manuallyApprovesFollowers?.toString() === 'true') {
        // Members-only circles never send their content to other servers, so
        // following one from elsewhere is declined rather than left hanging.
        const reject = await o.apex.buildActivity('Reject', recipient.id, actor.id, { object: followObject(activity, actor, recipient) });
        await o.apex.addToOutbox(recipient, reject);
        o.onQueued();
        return;
      }
      const accept = await o.apex.buildActivity('Accept', recipient.id, actor.id, { object: followObject(activity, actor, recipient) });
      await o.apex.acceptFollow(recipient, activity);
      await o.apex.addToOutbox(recipient, accept);
      o.onQueued();
    },

    async create({ actor, activity }) {
      const note = firstObject(activity.object);
      const type = firstString(note?.type);
      if (!note || (type !== 'Note' && type !== 'Article' && type !== 'Page')) return;
      // What it concerns here is checked before its content is worked on.
      const replyTo = ids(note.inReplyTo)[0];
      if (replyTo) {
        const parent = await o.remotePosts.findByIri(replyTo, localPostIri);
        if (!parent) return;
        const post = await incomingPost(note, actor, o.origin);
        if (post) await o.remotePosts.receiveReply(parent.threadId, post, parent.id);
        return;
      }
      // Addressed to the circle, or mentioning it (as Mastodon users do: @voices@host).
      const mentions = (Array.isArray(note.tag) ? note.tag : [])
        .map((t) => firstObject(t))
        .filter((t) => firstString(t?.type) === 'Mention')
        .map((t) => firstString(t?.href));
      const slug = circleSlugIn([
        ...ids(note.audience), ...ids(note.to), ...ids(note.cc),
        ...ids(activity.audience), ...ids(activity.to), ...ids(activity.cc),
        ...mentions.filter((m): m is string => !!m),
      ]);
      if (!slug) return;
      const post = await incomingPost(note, actor, o.origin);
      if (!post) return;
      const title = firstString(note.name) ?? titleFromHtml(post.html);
      await o.remotePosts.receiveThread(slug, title, post);
    },

    async accept({ object }) {
      // A circle elsewhere accepted a member's follow.
      if (object && String(object.type) === 'Follow') await o.followed.accepted(object.id);
    },

    async update({ actor, activity }) {
      const note = firstObject(activity.object);
      if (!note || firstString(note.type) !== 'Note' || typeof note.id !== 'string') return;
      if (!(await o.remotePosts.findByIri(note.id, localPostIri))?.remoteAuthor) return;
      const post = await incomingPost(note, actor, o.origin);
      if (post) await o.remotePosts.update(post.apId, actor.id, { html: post.html, contentWarning: post.contentWarning, language: post.language ?? null, mentionedHandles: post.mentionedHandles ?? [] });
    },

    async delete({ actor, activity }) {
      for (const id of ids(activity.object)) await o.remotePosts.delete(id, actor.id);
    },
  };

  return async (event) => {
    const type = String(event.activity.type).toLowerCase();
    const handler = handlers[type];
    if (!handler) return;
    try {
      await handler(event);
    } catch (error) {
      // A refusal (not found, forbidden…) is final; anything else goes back to the inbox worker, which logs it and tries again.
      if (error instanceof HearthError) o.logger.info({ type, reason: error.message }, 'incoming activity not applied');
      else throw error;
    }
  };
}

/** Activities Hearth handles itself: which ones (decided in the request, reading only), and applying them (by the inbox worker). */
export interface DirectHandler {
  /** Whether Hearth handles this activity itself rather than apex; reads, never writes. */
  claims(activity: Record<string, unknown>, signer: ApexObject): Promise<boolean>;
  /** Applies a claimed activity; a refusal is final (logged), anything else thrown is retried. */
  apply(activity: Record<string, unknown>, signer: ApexObject): Promise<void>;
}

/** Thrown when an activity must wait for one recorded before it (an Undo for its Like): the inbox worker tries again later. */
export class NotYetError extends Error {}

/**
 * Activities Hearth handles without apex's inbox steps: apex only
 * understands Likes of activities, while Mastodon likes Notes. A Like of a
 * post is an "I hear you"; its Undo takes it back. Reports (Flag), what
 * followed circles pass on (Announce) and deletions of posts that came that
 * way are Hearth's too. The request only decides (`claims`); the activity is
 * then stored and applied by the inbox worker (`apply`), like everything else.
 */
export function directHandler(o: {
  apex: Apex;
  remotePosts: RemotePostService;
  followed: FollowedCircleService;
  origin: string;
  logger: Logger;
  moderation: Moderation;
  members: MemberService;
  /** Where an incoming activity recorded for the inbox worker stands (undefined: never recorded). */
  incoming: (activityId: string) => Promise<{ name: string; state: 'waiting' | 'applied' | 'given_up' } | undefined>;
}): DirectHandler {
  const localPostIri = (id: number) => `${o.origin}/p/${id}`;
  const announced = announceHandler(o);
  /** The Like an Undo takes back: embedded (as Mastodon sends it) or named. */
  const undoneLike = (activity: Record<string, unknown>): { id: string | undefined; embedded: boolean } | undefined => {
    const inner = firstObject(activity.object);
    if (inner) return firstString(inner.type) === 'Like' ? { id: firstString(inner.id), embedded: true } : undefined;
    const id = ids(activity.object)[0];
    return id ? { id, embedded: false } : undefined;
  };
  /** Deletions of posts that reached Hearth through a followed circle's Announce (not in apex's store, so apex cannot check them). */
  const deletesAnnounced = async (activity: Record<string, unknown>): Promise<boolean> => {
    const known = await Promise.all(ids(activity.object).map((id) => o.remotePosts.findByIri(id, localPostIri)));
    return known.some((p) => p?.remoteAuthor);
  };

  return {
    async claims(activity, signer) {
      switch (String(activity.type)) {
        case 'Flag':
        case 'Announce':
        case 'Like':
          return true;
        case 'Delete':
          return deletesAnnounced(activity);
        case 'Undo': {
          const like = undoneLike(activity);
          if (!like?.id) return false;
          if (like.embedded) return true;
          // Named only: Hearth's if it names a Like counted here, or one still waiting to be applied.
          if (await o.remotePosts.hasLike(like.id, signer.id)) return true;
          return (await o.incoming(like.id))?.name === 'Like';
        }
        default:
          return false;
      }
    },

    async apply(activity, signer) {
      const type = String(activity.type);
      if (type === 'Flag') {
        // A report from another server about posts or members here: it enters the review queue.
        const postIds: number[] = [];
        const memberIds: number[] = [];
        for (const iri of ids(activity.object).slice(0, 50)) {
          const post = await o.remotePosts.findByIri(iri, localPostIri);
          if (post && !post.remoteAuthor) postIds.push(post.id);
          const m = iri.startsWith(`${o.origin}/u/`) ? /^\/u\/([a-z][a-z0-9_]{1,29})$/.exec(iri.slice(o.origin.length)) : null;
          const member = m ? await o.members.getByHandle(m[1]!).catch(notHere) : undefined;
          if (member) memberIds.push(member.id);
        }
        if (postIds.length > 0 || memberIds.length > 0) {
          const content = typeof activity.content === 'string' ? htmlToPlainText(activity.content.slice(0, 20_000), 2_000) : '';
          await o.moderation.reports.receiveFlag({ originHost: new URL(signer.id).host, postIds, memberIds, note: content });
        }
        return;
      }
      if (type === 'Announce') {
        await announced(activity, signer);
        return;
      }
      if (type === 'Delete') {
        // Only the author may delete; a stranger's claim on one target does not stop the others.
        for (const id of ids(activity.object)) await o.remotePosts.delete(id, signer.id).catch(notHere);
        return;
      }
      if (type === 'Like') {
        const target = ids(activity.object)[0];
        const post = target ? await o.remotePosts.findByIri(target, localPostIri) : undefined;
        if (post && typeof activity.id === 'string') await o.remotePosts.receiveLike(post, remoteProfile(signer), activity.id);
        return;
      }
      if (type === 'Undo') {
        const like = undoneLike(activity);
        if (!like?.id) return;
        // Its Like, if it came too, is applied first (it may be waiting for a retry).
        if ((await o.incoming(like.id))?.state === 'waiting') throw new NotYetError('the Like this takes back is not applied yet');
        await o.remotePosts.removeLike(like.id, signer.id);
      }
    },
  };
}

/** A refusal (not found, forbidden…) of one part of an activity: that part is skipped. */
function notHere(error: unknown): undefined {
  if (error instanceof HearthError) return undefined;
  throw error;
}

/**
 * What a followed circle elsewhere passes on (FEP-1b12 Announce): new
 * threads and replies, as the bare Note or wrapped in its Create, and its
 * authors' edits and deletions. A Note from another server than the circle's
 * is fetched from its own server rather than believed.
 */
function announceHandler(o: { apex: Apex; remotePosts: RemotePostService; followed: FollowedCircleService; origin: string }) {
  const localPostIri = (id: number) => `${o.origin}/p/${id}`;
  const fetchObject = async (iri: string): Promise<Record<string, unknown> | undefined> =>
    iri.startsWith(`${o.origin}/`) ? undefined : ((await o.apex.requestObject(iri)) ?? undefined);

  return async (activity: Record<string, unknown>, signer: ApexObject): Promise<void> => {
    // Only circles someone here follows are listened to; nothing else is fetched or worked on.
    if (!(await o.followed.isFollowed(signer.id))) return;
    const groupOrigin = new URL(signer.id).origin;
    let inner: Record<string, unknown> | undefined = firstObject(activity.object);
    const innerIri = firstString(activity.object);
    if (!inner && innerIri) inner = await fetchObject(innerIri);
    if (!inner) return;
    const innerType = firstString(inner.type);
    let verb = 'Create';
    let note: Record<string, unknown> | undefined = inner;
    if (innerType === 'Create' || innerType === 'Update' || innerType === 'Delete') {
      verb = innerType;
      note = firstObject(inner.object) ?? (firstString(inner.object) ? { id: firstString(inner.object) } : undefined);
    }
    if (!note || typeof note.id !== 'string') return;
    if (new URL(note.id).origin !== groupOrigin) {
      if (verb === 'Delete') return;
      note = await fetchObject(note.id);
      if (!note) return;
    }
    const authorIri = ids(note.attributedTo)[0] ?? ids(inner.actor)[0];
    if (!authorIri) return;
    if (verb === 'Delete') {
      await o.remotePosts.delete(note.id as string, authorIri);
      return;
    }
    const author = await o.apex.resolveObject(authorIri);
    if (!author || !firstString(note.type) || firstString(note.type) === 'Tombstone') return;
    const post = await incomingPost(note, author, o.origin);
    if (!post) return;
    if (verb === 'Update') {
      await o.remotePosts.update(post.apId, author.id, { html: post.html, contentWarning: post.contentWarning, language: post.language ?? null, mentionedHandles: post.mentionedHandles ?? [] });
      return;
    }
    const title = firstString(note.name) ?? titleFromHtml(post.html);
    await o.followed.receive(signer.id, post, ids(note.inReplyTo)[0], title, localPostIri);
  };
}
