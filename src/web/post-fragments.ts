import type { Post } from '../domain/threads/thread.js';

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
