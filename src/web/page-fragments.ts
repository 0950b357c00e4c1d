import type { Post, ThreadSummary } from '../domain/threads/thread.js';
import type { Locale } from '../i18n/locales.js';
import { relativeWords } from './view-helpers.js';

/** What the reader of a thread page may do with, or chose to see of, one post (thread-routes.ts fills it in). */
export interface PostForReader {
  cwOpen: boolean;
  mutedBy: string | undefined;
  blockedByAuthor: boolean;
  authorBlocked: boolean;
  ownHeld: boolean;
  canReport: boolean;
  canAskCheckIn: boolean;
  canModerate: boolean;
}

/** The page a post piece is rendered into: its language and zone, who reads it, and the thread's version. */
export interface FragmentPage {
  /** `FragmentCache.version('thread:ID')`, taken before the posts were read (a change while reading leaves the piece unused). */
  threadVersion: string;
  locale: string;
  zone: string;
  viewerId: number | undefined;
}

const SEP = '\u0001';

/**
 * The key of a post's rendered piece (`views/partials/post.hbs`): every value
 * the partial reads, and nothing else. Add here whatever the partial comes
 * to show: a value missing from the key would show one reader's piece to
 * another. The post's text is covered by its edit time and length, and the
 * thread's version moves with every change made to the thread.
 */
export function postFragmentKey(post: Post & PostForReader, page: FragmentPage): string {
  const author = post.author ? `${post.author.handle}${SEP}${post.author.displayName}${SEP}${post.author.avatarUrl ?? ''}` : '';
  const remote = post.remoteAuthor
    ? `${post.remoteAuthor.handle}${SEP}${post.remoteAuthor.displayName}${SEP}${post.remoteAuthor.avatarUrl ?? ''}${SEP}${post.remoteAuthor.profileUrl}`
    : '';
  const reactions = (post.reactions ?? []).map((r) => `${r.kind}:${r.count}:${r.given ? 1 : 0}`).join(',');
  const reader = [post.cwOpen, post.blockedByAuthor, post.authorBlocked, post.ownHeld, post.canReport, post.canAskCheckIn, post.canModerate]
    .map((flag) => (flag ? '1' : '0'))
    .join('');
  return [
    'post',
    page.threadVersion,
    page.locale,
    page.zone,
    // Only whether the reader is logged in and wrote the post (the partial's `viewerId` tests), so members share pieces.
    page.viewerId === undefined ? 'visitor' : post.authorId === page.viewerId ? 'author' : 'member',
    reader,
    post.mutedBy ?? '',
    post.id,
    post.authorId ?? '',
    post.state,
    post.isOpening ? 1 : 0,
    post.createdAt.getTime(),
    post.editedAt?.getTime() ?? '',
    post.contentWarning ?? '',
    post.heldReason ?? '',
    post.language ?? '',
    post.html.length,
    author,
    remote,
    reactions,
  ].join(SEP);
}

/** The page a thread row is rendered into: its language and zone, the circle's version, and the time rows are worded from. */
export interface RowPage {
  /** `FragmentCache.version('circle:ID')`, taken before the rows were read. */
  circleVersion: string;
  locale: Locale;
  zone: string;
  /** What "3 hours ago" counts from (the page's `now`). */
  now: Date;
}

/**
 * The key of a thread row's rendered piece (`views/partials/thread-row.hbs`,
 * without `showCircle`): every value the partial reads, the words its
 * `timeAgo` shows (they change as time passes), and nothing else.
 */
export function threadRowKey(row: ThreadSummary, page: RowPage): string {
  const people = row.participants.map((p) => `${p.handle}${SEP}${p.displayName}${SEP}${p.avatarUrl ?? ''}`).join(SEP);
  return [
    'row',
    page.circleVersion,
    page.locale,
    page.zone,
    row.id,
    row.unread ? 1 : 0,
    row.circleSlug ?? '',
    row.title,
    row.author ? `${row.author.handle}${SEP}${row.author.displayName}` : '',
    row.contentWarning ?? '',
    row.replyCount,
    row.lastActivityAt.getTime(),
    relativeWords(row.lastActivityAt, page.now, page.locale),
    people,
  ].join(SEP);
}
