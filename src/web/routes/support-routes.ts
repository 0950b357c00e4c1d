import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { SUPPORT_LIMITS } from '../../domain/support/support-line-service.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, idParam } from '../form-input.js';
import { member, requireLogin, requireSteward } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

const FIELDS = ['name', 'howToReach', 'link', 'hours', 'languages', 'description', 'emergencyServices'] as const;

/** Someone to talk to, waiting for a reply, and "I'm okay now". */
export function supportRoutes({ services }: RouteContext): Router {
  const router = Router();

  router.get(
    '/support',
    asyncHandler(async (_req, res) => {
      res.render('support', { title: 'Someone to talk to', lines: await services.support.list() });
    }),
  );

  router.get(
    '/waiting',
    asyncHandler(async (req, res) => {
      res.render('waiting', { title: 'Waiting for a reply', waiting: await services.threads.waiting(req.user) });
    }),
  );

  router.post(
    '/c/:slug/t/:id/:state(resolved|open)',
    requireLogin,
    asyncHandler(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) throw new NotFoundError("There's no thread at that address.");
      await services.threads.setResolved(member(req), req.params.slug!, id, req.params.state === 'resolved');
      res.redirect(303, `/c/${req.params.slug}/t/${id}`);
    }),
  );

  // Stewards keep the list.
  router.use('/steward/support', requireSteward);
  const listView = async () => ({ title: 'Support lines', lines: await services.support.list(), limits: SUPPORT_LIMITS });
  const lineId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError('That support line is not listed any more.');
    return id;
  };

  router.get(
    '/steward/support',
    asyncHandler(async (_req, res) => {
      res.render('steward/support', { ...(await listView()), values: {} });
    }),
  );

  router.post(
    '/steward/support',
    asyncHandler(async (req, res) => {
      try {
        await services.support.add(member(req), formFields(req, FIELDS));
        res.redirect(303, '/steward/support');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'steward/support', problem, await listView());
      }
    }),
  );

  router.get(
    '/steward/support/:id',
    asyncHandler(async (req, res) => {
      const line = await services.support.get(member(req), lineId(req));
      res.render('steward/support-edit', { title: `Edit ${line.name}`, line, values: { ...line, link: line.link ?? '' }, limits: SUPPORT_LIMITS });
    }),
  );

  router.post(
    '/steward/support/:id',
    asyncHandler(async (req, res) => {
      const id = lineId(req);
      try {
        await services.support.update(member(req), id, formFields(req, FIELDS));
        res.redirect(303, '/steward/support');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        const line = await services.support.get(member(req), id);
        rerenderForm(req, res, 'steward/support-edit', problem, { title: `Edit ${line.name}`, line, limits: SUPPORT_LIMITS });
      }
    }),
  );

  router.post(
    '/steward/support/:id/delete',
    asyncHandler(async (req, res) => {
      await services.support.remove(member(req), lineId(req));
      res.redirect(303, '/steward/support');
    }),
  );
  return router;
}
