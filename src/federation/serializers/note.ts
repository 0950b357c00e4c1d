import Handlebars from 'handlebars';
import type { Circle } from '../../domain/circles/circle.js';
import type { Post, Thread } from '../../domain/threads/thread.js';
import type { ActorIris } from '../actor-iris.js';
import { AS_PUBLIC, HEARTH_CONTEXT } from '../vocabulary.js';

export interface NoteIris extends ActorIris {
  post(postId: number): string;
  thread(slug: string, threadId: number): string;
}

export function noteIris(iris: ActorIris, origin: string): NoteIris {
  return {
    ...iris,
    post: (postId) => `${origin}/p/${postId}`,
    thread: (slug, threadId) => `${origin}/c/${slug}/t/${threadId}`,
  };
}

/** Someone a Note mentions: a Mention tag (`href` their actor), and, for people elsewhere, an address in `cc`. */
export interface NoteMention {
  href: string;
  /** `@user@host`, when known. */
  name?: string;
  /** On another server: also addressed (cc), so their server shows it as a mention. */
  remote: boolean;
}

/** The Mention tags and the extra `cc` of a Note's mentions. */
export function mentionFields(mentions: readonly NoteMention[]): { tag: Array<Record<string, string>>; cc: string[] } {
  return {
    tag: mentions.map((m) => ({ type: 'Mention', href: m.href, ...(m.name ? { name: m.name } : {}) })),
    cc: mentions.filter((m) => m.remote).map((m) => m.href),
  };
}

/**
 * A post as an ActivityStreams Note. Mastodon shows a Note's content and turns
 * `summary` into a content warning, but shows only the title of a Page, so a
 * thread's opening post is a Note with `name` set and the title repeated at
 * the top of its content. `audience` names the circle (FEP-1b12) and
 * `context` the thread (FEP-7888). A post whose language is known says it
 * with `contentMap` (and `summaryMap`) next to `content` (and `summary`).
 */
export function serializeNote(
  post: Post,
  thread: Thread,
  circle: Circle,
  iris: NoteIris,
  openingPostId: number,
  mentions: readonly NoteMention[] = [],
): Record<string, unknown> {
  if (!post.author) throw new Error('Only posts by local members are serialised as Notes');
  const circleIri = iris.circle(circle.slug);
  const title = post.isOpening ? `<p><strong>${Handlebars.escapeExpression(thread.title)}</strong></p>` : '';
  const note: Record<string, unknown> = {
    '@context': HEARTH_CONTEXT,
    id: iris.post(post.id),
    type: 'Note',
    attributedTo: iris.member(post.author.handle),
    content: `${title}${post.html}`,
    mediaType: 'text/html',
    source: { content: post.source, mediaType: 'text/markdown' },
    published: post.createdAt.toISOString(),
    url: `${iris.thread(circle.slug, thread.id)}#post-${post.id}`,
    to: [AS_PUBLIC],
    cc: [circleIri, `${circleIri}/followers`, ...mentionFields(mentions).cc],
    audience: circleIri,
    context: iris.thread(circle.slug, thread.id),
    sensitive: post.contentWarning !== null,
  };
  if (mentions.length > 0) note.tag = mentionFields(mentions).tag;
  if (post.isOpening) note.name = thread.title;
  else note.inReplyTo = iris.post(openingPostId);
  if (post.contentWarning !== null) note.summary = post.contentWarning;
  // The post's language: Mastodon reads it from contentMap's one key (summaryMap likewise for the warning).
  if (post.language !== null) {
    note.contentMap = { [post.language]: note.content };
    if (post.contentWarning !== null) note.summaryMap = { [post.language]: post.contentWarning };
  }
  if (post.editedAt) note.updated = post.editedAt.toISOString();
  return note;
}

/** What stands where a deleted post was (ActivityPub Tombstone). */
export function serializeTombstone(post: Post, iris: NoteIris): Record<string, unknown> {
  return {
    '@context': HEARTH_CONTEXT,
    id: iris.post(post.id),
    type: 'Tombstone',
    formerType: 'Note',
    deleted: (post.deletedAt ?? new Date()).toISOString(),
  };
}
