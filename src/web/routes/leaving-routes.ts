import { Router, type Request, type Response } from 'express';
import { ForbiddenError } from '../../domain/errors.js';
import { asyncHandler } from '../async-handler.js';
import { exportArchive, exportFileName } from '../export-archive.js';
import { formFields } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import { DEFAULT_TIME_ZONE } from '../../domain/time-zones.js';
import type { RouteContext } from './route-context.js';

/** The right to leave: a copy of everything (/settings/leave/export) and deleting one's account. */
export function leavingRoutes({ services, publicUrl, limits }: RouteContext): Router {
  const router = Router();

  const pageView = async (req: Request) => ({
    title: 'Leaving',
    handle: member(req).handle,
    ...(await services.leaving.situation(member(req))),
  });

  router.get(
    '/settings/leave',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('settings-leave', { ...(await pageView(req)), values: {} });
    }),
  );

  router.post(
    '/settings/leave/export',
    requireLogin,
    asyncHandler(async (req, res) => {
      const instance = await services.instance.get();
      const doc = await services.leaving.exportFor(member(req), { name: instance?.name ?? 'Hearth', url: publicUrl.origin, timeZone: instance?.timeZone ?? DEFAULT_TIME_ZONE });
      res.set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${exportFileName(doc)}"`,
        'Cache-Control': 'no-store',
      });
      res.send(exportArchive(doc));
    }),
  );

  router.post(
    '/settings/leave/delete',
    requireLogin,
    limits.login,
    asyncHandler(async (req, res, next) => {
      try {
        const f = formFields(req, ['posts', 'handle', 'password'] as const);
        await services.leaving.requestDeletion(member(req), f);
      } catch (error) {
        // Wrong handle or password, no choice made (400), or already leaving (409): said next to the form.
        const problem = formProblem(error);
        if (problem) return rerenderForm(req, res, 'settings-leave', problem, await pageView(req));
        // The only steward: said on the page, nothing destructive offered.
        if (error instanceof ForbiddenError) {
          return res.status(403).render('settings-leave', { ...(await pageView(req)), values: {}, refusal: error.message });
        }
        throw error;
      }
      // Every other login already ended with the request; this one ends now.
      req.logout((error) => {
        if (error) return next(error);
        req.session.destroy(() => res.redirect(303, '/goodbye'));
      });
    }),
  );

  router.get('/goodbye', (_req: Request, res: Response) => {
    res.render('goodbye', { title: 'Your account is being deleted' });
  });
  return router;
}
