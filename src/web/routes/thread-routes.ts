import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { REACTIONS } from '../../domain/reactions/reaction.js';
import type { Post } from '../../domain/threads/thread.js';
import type { Member } from '../../domain/members/member.js';
import { mutedWordIn } from '../../domain/members/muted-words.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../../http/async-handler.js';
import { pageNumber } from '../form-input.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { pageKeys } from '../page-cache.js';
import { msg } from '../../i18n/message.js';
import { postFragmentKey, type PostForReader } from '../page-fragments.js';
import { localeOf } from '../i18n.js';

/** The four reaction buttons under a post, with counts and whether this member gave each. */
function reactionButtons(post: Post, given: Set<string>) {
  return REACTIONS.map((r) => ({
    kind: r.kind,
    count: post.reactions?.find((c) => c.kind === r.kind)?.count ?? 0,
    given: given.has(`${post.id}:${r.kind}`),
  }));
}

/** What this member chose to see: content warnings open, posts with muted words folded. */
function viewerChoices(post: Post, viewer: Member | undefined): { cwOpen: boolean; mutedBy: string | undefined } {
  if (!viewer) return { cwOpen: false, mutedBy: undefined };
  const text = `${post.plainText} ${post.contentWarning ?? ''}`;
  return { cwOpen: viewer.cwDisplay === 'unfolded', mutedBy: mutedWordIn(text, viewer.mutedWords) };
}

function threadPath(slug: string, threadId: number, page = 1, postId?: number): string {
  return `/c/${slug}/t/${threadId}${page > 1 ? `?page=${page}` : ''}${postId ? `#post-${postId}` : ''}`;
}

/** A thread page, replying, and a member's own edits, deletions and edit history. */
export function threadRoutes({ services, limits, form, fragments }: RouteContext): Router {
  const router = Router();

  const threadId = (raw: string | undefined) => {
    const id = idParam(raw);
    if (!id) throw new NotFoundError(msg('circles.error.no_thread_here'));
    return id;
  };
  const postId = (raw: string | undefined) => {
    const id = idParam(raw);
    if (!id) throw new NotFoundError(msg('circles.error.no_post_here'));
    return id;
  };

  const renderThread = async (req: Request, page: number) => {
    const id = threadId(req.params.id);
    // Taken before reading: a change made meanwhile moves it, and what was read now is not kept for later readers.
    const threadVersion = fragments?.cache.version(`thread:${id}`);
    const view = await services.threads.view(req.params.slug!, id, req.user, page);
    const mod = services.moderation;
    // Independent reads, side by side (the pool has several connections).
    const [{ relations, threadState }, moderator] = await Promise.all([
      mod.safety.threadReading(view.thread.id, req.user),
      mod.governance.moderates(req.user, view.circle.id),
    ]);
    // What this member gave came with the counts (ThreadService.view).
    const given = new Set(view.posts.items.flatMap((p) => (p.reactions ?? []).filter((r) => r.given).map((r) => `${p.id}:${r.kind}`)));
    for (const post of view.posts.items) {
      const authorId = post.authorId ?? -1;
      Object.assign(post, {
        reactionButtons: reactionButtons(post, given),
        ...viewerChoices(post, req.user),
        blockedByAuthor: relations.blockedBy.has(authorId),
        authorBlocked: relations.blocked.has(authorId),
        ownHeld: post.state === 'held' && !!req.user && post.authorId === req.user.id,
        canReport: !!req.user && post.authorId !== req.user.id && post.state === 'visible',
        canAskCheckIn: !!req.user && post.authorId !== null && post.authorId !== req.user.id && post.state === 'visible',
        canModerate: moderator && post.state !== 'deleted',
      });
    }
    // A member's page: each post's piece is rendered once for every member who sees it alike (fragment-cache.ts).
    if (req.user && req.res && threadVersion !== undefined) {
      const page = { threadVersion, locale: localeOf(req.res), zone: String(req.res.locals.viewerTimeZone), viewerId: req.user.id };
      for (const post of view.posts.items) Object.assign(post, { fragmentKey: postFragmentKey(post as Post & PostForReader, page) });
    }
    return {
      title: view.thread.title,
      ...view,
      threadState,
      canModerate: moderator,
      viewerId: req.user?.id,
      basePath: `/c/${view.circle.slug}/t/${view.thread.id}`,
      limits: LIMITS,
    };
  };

  router.get(
    '/c/:slug/t/:id',
    asyncHandler(async (req, res) => {
      const page = pageNumber(req);
      if (!page) throw new NotFoundError(msg('circles.error.no_page_of_thread'));
      const view = await renderThread(req, page);
      pageKeys(res, `thread:${view.thread.id}`);
      // Kept for this member's next visit; their read mark, moved by this very request, is theirs.
      if (req.user && fragments) await fragments.send(res, 'thread', { ...view, values: {} }, { ownRows: view.readMarkMoved ? 1 : 0 });
      else res.render('thread', { ...view, values: {} });
    }),
  );

  // Where the member's reading goes on: the first post they haven't read (its page, scrolled to it).
  router.get(
    '/c/:slug/t/:id/unread',
    asyncHandler(async (req, res) => {
      const id = threadId(req.params.id);
      const next = await services.threads.firstUnread(req.params.slug!, id, req.user);
      res.redirect(303, next ? threadPath(req.params.slug!, id, next.page, next.postId) : threadPath(req.params.slug!, id));
    }),
  );

  // A refused reply is shown again on the thread's last page, where the reply form is.
  const lastPageOfThread = async (req: Request) => {
    const first = await renderThread(req, 1);
    return first.posts.pageCount > 1 ? renderThread(req, first.posts.pageCount) : first;
  };

  router.post(
    '/c/:slug/t/:id/reply',
    requireLogin,
    limits.posting,
    form({
      fields: ['body', 'contentWarning', 'language'],
      once: true,
      run: (f, req) => services.threads.reply(member(req), threadId(req.params.id), f),
      redirect: async (post, req) => threadPath(req.params.slug!, post.threadId, await services.threads.pageOf(post), post.id),
      form: { view: 'thread', page: lastPageOfThread },
    }),
  );

  router.post(
    '/p/:id/react',
    requireLogin,
    limits.posting,
    form({
      // One form per post: the button pressed sends `reaction=KIND:1` (give) or `KIND:0` (take back).
      fields: ['reaction', 'kind', 'give'],
      run: (f, req) => {
        const [kind, give] = f.reaction ? f.reaction.split(':') : [f.kind, f.give];
        return services.reactions.set(member(req), postId(req.params.id), kind ?? '', give === '1');
      },
      redirect: ({ threadPath }, req) => `${threadPath}#post-${postId(req.params.id)}`,
    }),
  );

  router.get(
    '/p/:id',
    asyncHandler(async (req, res) => {
      const { post, circle } = await services.threads.locate(postId(req.params.id), req.user);
      res.redirect(303, threadPath(circle.slug, post.threadId, await services.threads.pageOf(post), post.id));
    }),
  );

  router.get(
    '/p/:id/edit',
    requireLogin,
    asyncHandler(async (req, res) => {
      const { post, thread, circle } = await services.threads.ownPost(member(req), postId(req.params.id));
      const values = { title: thread.title, body: post.source, contentWarning: post.contentWarning ?? '', language: post.language ?? '' };
      res.render('post-edit', { title: msg('circles.post_edit.title'), post, thread, circle, values, limits: LIMITS });
    }),
  );

  const editPage = async (req: Request) => {
    const { post, thread, circle } = await services.threads.ownPost(member(req), postId(req.params.id));
    return { title: msg('circles.post_edit.title'), post, thread, circle, limits: LIMITS };
  };

  router.post(
    '/p/:id/edit',
    requireLogin,
    limits.posting,
    form({
      fields: ['title', 'body', 'contentWarning', 'language'],
      run: (f, req) => services.threads.edit(member(req), postId(req.params.id), f),
      redirect: async (edited, req) => {
        const { circle } = await services.threads.locate(edited.id, req.user);
        return threadPath(circle.slug, edited.threadId, await services.threads.pageOf(edited), edited.id);
      },
      form: { view: 'post-edit', page: editPage },
    }),
  );

  router.get(
    '/p/:id/delete',
    requireLogin,
    asyncHandler(async (req, res) => {
      const { post, thread, circle } = await services.threads.ownPost(member(req), postId(req.params.id));
      res.render('post-delete', { title: msg('circles.post_delete.title'), post, thread, circle });
    }),
  );

  router.post(
    '/p/:id/delete',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => services.threads.delete(member(req), postId(req.params.id)),
      redirect: ({ thread, circle }) => threadPath(circle.slug, thread.id),
    }),
  );

  router.get(
    '/p/:id/history',
    asyncHandler(async (req, res) => {
      const history = await services.threads.history(postId(req.params.id), req.user);
      res.render('post-history', { title: msg('circles.history.title'), ...history });
    }),
  );
  return router;
}
