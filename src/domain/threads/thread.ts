import type { ReactionCount } from '../reactions/reaction.js';
import type { AuthorRef } from '../members/member.js';

export type PostState = 'visible' | 'held' | 'hidden' | 'removed' | 'deleted';

export interface Thread {
  id: number;
  /** The local circle; null for threads of a circle followed on another server. */
  circleId: number | null;
  remoteCircleId: number | null;
  title: string;
  authorId: number | null;
  author: AuthorRef | null;
  replyCount: number;
  createdAt: Date;
  lastActivityAt: Date;
  /** When the author said "I'm okay now"; null while the thread is open. */
  resolvedAt: Date | null;
}

/** A thread nobody has answered yet, for the "Waiting for a reply" list. */
export interface WaitingThread {
  id: number;
  title: string;
  circleSlug: string;
  circleName: string;
  contentWarning: string | null;
  createdAt: Date;
}

/** Someone who took part in a thread, as a list shows them (an avatar, or their initials). */
export interface Participant {
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface ThreadSummary extends Thread {
  /** The opening post's content warning, shown in lists instead of an excerpt. */
  contentWarning: string | null;
  excerptHtml: string;
  /** The circle's address and name (local circles; null for circles followed elsewhere). */
  circleSlug: string | null;
  circleName: string | null;
  /** The last few people who posted (at most four), the most recent first. */
  participants: Participant[];
  /** A visible post by someone else that the viewer has not read yet (always false for visitors). */
  unread: boolean;
}

/** Someone on another server, as Hearth shows them next to their posts. */
export interface RemoteAuthorRef {
  iri: string;
  /** user@host */
  handle: string;
  displayName: string;
  profileUrl: string;
  avatarUrl: string | null;
}

export interface Post {
  id: number;
  threadId: number;
  authorId: number | null;
  author: AuthorRef | null;
  remoteAuthor: RemoteAuthorRef | null;
  /** The ActivityPub id, for posts that came from another server. */
  apId: string | null;
  isOpening: boolean;
  source: string;
  html: string;
  /** The text without markup (kept by the database at write time), for muted words. */
  plainText: string;
  contentWarning: string | null;
  /** The language it is written in (a primary tag: 'en', 'de'); null when not known. */
  language: string | null;
  state: PostState;
  /** Why a held post waits for a moderator (shown to its author). */
  heldReason: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  revisionCount: number;
  /** Supportive reactions given, by kind (filled in for thread pages). */
  reactions?: ReactionCount[];
}

export interface PostRevision {
  id: number;
  title: string | null;
  source: string;
  contentWarning: string | null;
  writtenAt: Date;
  replacedAt: Date;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
  total: number;
}

/** Text shown where a deleted opening post's title was. */
export const DELETED_THREAD_TITLE = 'The opening post was deleted by its author';

export function pageCountFor(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}
