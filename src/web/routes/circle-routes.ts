import { Router } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, pageNumber } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { postingProblem, rerenderForm } from '../render-form.js';
import { meetingView } from '../meeting-view.js';
import type { RouteContext } from './route-context.js';

/** A circle's page (its threads) and starting a new thread in it. */
export function circleRoutes({ services, limits }: RouteContext): Router {
  const router = Router();

  router.get(
    '/c/:slug',
    asyncHandler(async (req, res) => {
      const page = pageNumber(req);
      if (!page) throw new NotFoundError('That page of threads does not exist.');
      const circle = await services.circles.get(req.params.slug!, req.user);
      const threads = await services.threads.listThreads(circle, page);
      const [meetings, resources] = await Promise.all([services.meetings.upcomingIn(circle, 3), services.circleResources.list(circle)]);
      res.render('circle', {
        title: circle.name,
        circle,
        threads,
        basePath: `/c/${circle.slug}`,
        meetings: meetings.map((u) => meetingView(u, 1)),
        resources,
        canKeep: await services.meetings.canManage(req.user, circle),
      });
    }),
  );

  const agreementsFor = async (circleId: number) => (await services.moderation.governance.agreements(circleId)).current;

  router.get(
    '/c/:slug/new',
    requireLogin,
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      res.render('thread-new', { title: `New thread in ${circle.name}`, circle, values: {}, limits: LIMITS, agreements: await agreementsFor(circle.id) });
    }),
  );

  router.post(
    '/c/:slug/new',
    requireLogin,
    limits.posting,
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      try {
        const f = formFields(req, ['title', 'body', 'contentWarning'] as const);
        const { thread } = await services.threads.startThread(member(req), circle.slug, f);
        res.redirect(303, `/c/${circle.slug}/t/${thread.id}`);
      } catch (error) {
        const problem = postingProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'thread-new', problem, { title: `New thread in ${circle.name}`, circle, limits: LIMITS, agreements: await agreementsFor(circle.id) });
      }
    }),
  );
  return router;
}
