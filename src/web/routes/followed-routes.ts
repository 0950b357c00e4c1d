import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, idParam, pageNumber } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

/** Circles members follow on other servers: finding and following them, reading and replying. */
export function followedRoutes({ services, limits }: RouteContext): Router {
  const router = Router();
  router.use(['/circles/followed', '/f'], requireLogin);

  const ids = (req: Request) => {
    const circleId = idParam(req.params.id);
    const threadId = req.params.tid === undefined ? 0 : idParam(req.params.tid);
    if (!circleId || threadId === undefined) throw new NotFoundError('That followed circle isn’t here.');
    return { circleId, threadId };
  };

  const listView = async (req: Request) => ({
    title: 'Followed circles',
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
    asyncHandler(async (req, res) => {
      try {
        const f = formFields(req, ['q'] as const);
        await services.followed.follow(member(req), f.q);
        res.redirect(303, '/circles/followed?sent=1');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'followed', problem, await listView(req));
      }
    }),
  );

  router.get(
    '/f/:id',
    asyncHandler(async (req, res) => {
      const page = pageNumber(req);
      if (!page) throw new NotFoundError('That page does not exist.');
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
      if (!page) throw new NotFoundError('That page does not exist.');
      res.render('followed-thread', { ...(await threadView(req, page)), values: {} });
    }),
  );

  router.post(
    '/f/:id/t/:tid/reply',
    limits.posting,
    asyncHandler(async (req, res) => {
      const { circleId, threadId } = ids(req);
      try {
        const f = formFields(req, ['body', 'contentWarning'] as const);
        const post = await services.followed.reply(member(req), circleId, threadId, f);
        res.redirect(303, `/f/${circleId}/t/${threadId}#post-${post.id}`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'followed-thread', problem, await threadView(req, 1));
      }
    }),
  );
  return router;
}
