import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../../http/async-handler.js';
import { pageNumber } from '../form-input.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { msg } from '../../i18n/message.js';

/** Circles members follow on other servers: finding and following them, reading and replying. */
export function followedRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  router.use(['/circles/followed', '/f'], requireLogin);

  const ids = (req: Request) => {
    const circleId = idParam(req.params.id);
    const threadId = req.params.tid === undefined ? 0 : idParam(req.params.tid);
    if (!circleId || threadId === undefined) throw new NotFoundError(msg('circles.error.followed_not_here'));
    return { circleId, threadId };
  };

  const listView = async (req: Request) => ({
    title: msg('circles.followed.title'),
    followed: await services.followed.followed(member(req)),
  });

  router.get(
    '/circles/followed',
    asyncHandler(async (req, res) => {
      res.render('followed', { ...(await listView(req)), values: {}, sent: req.query.sent === '1' });
    }),
  );

  router.post(
    '/circles/followed',
    limits.posting,
    form({
      fields: ['q'],
      run: (f, req) => services.followed.follow(member(req), f.q),
      redirect: () => '/circles/followed?sent=1',
      form: { view: 'followed', page: listView },
    }),
  );

  router.get(
    '/f/:id',
    asyncHandler(async (req, res) => {
      const page = pageNumber(req);
      if (!page) throw new NotFoundError(msg('circles.error.no_page'));
      const { circle, threads } = await services.followed.circle(member(req), ids(req).circleId, page);
      res.render('followed-circle', { title: circle.name || circle.handle, circle, threads, basePath: `/f/${circle.id}` });
    }),
  );

  const threadView = async (req: Request, page: number) => {
    const { circleId, threadId } = ids(req);
    const view = await services.followed.thread(member(req), circleId, threadId, page);
    return { title: view.thread.title, ...view, basePath: `/f/${circleId}/t/${threadId}`, viewerId: req.user?.id, limits: LIMITS };
  };

  router.get(
    '/f/:id/t/:tid',
    asyncHandler(async (req, res) => {
      const page = pageNumber(req);
      if (!page) throw new NotFoundError(msg('circles.error.no_page'));
      res.render('followed-thread', { ...(await threadView(req, page)), values: {} });
    }),
  );

  router.post(
    '/f/:id/t/:tid/reply',
    limits.posting,
    form({
      fields: ['body', 'contentWarning', 'language'],
      once: true,
      run: (f, req) => services.followed.reply(member(req), ids(req).circleId, ids(req).threadId, f),
      redirect: (post, req) => `/f/${ids(req).circleId}/t/${ids(req).threadId}#post-${post.id}`,
      form: { view: 'followed-thread', page: (req) => threadView(req, 1) },
    }),
  );
  return router;
}
