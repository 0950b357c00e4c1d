import { Router, type Request, type Response } from 'express';
import { exportArchive, exportFileName } from '../export-archive.js';
import { member, requireLogin } from '../guards.js';
import { logOutAndGo } from '../session-login.js';
import { DEFAULT_TIME_ZONE } from '../../domain/time-zones.js';
import { DEFAULT_LOCALE } from '../../i18n/locales.js';
import type { RouteContext } from './route-context.js';
import { formPage } from '../form-route.js';
import { msg } from '../../i18n/message.js';

/** The right to leave: a copy of everything (/settings/leave/export) and deleting one's account. */
export function leavingRoutes({ services, publicUrl, limits, form }: RouteContext): Router {
  const router = Router();

  const pageView = async (req: Request) => ({
    title: msg('accounts.leave.title'),
    handle: member(req).handle,
    ...(await services.leaving.situation(member(req))),
  });

  router.get(
    '/settings/leave',
    requireLogin,
    formPage('settings-leave', pageView),
  );

  router.post(
    '/settings/leave/export',
    requireLogin,
    form({
      fields: [],
      run: async (_f, req) => {
        const instance = await services.instance.get();
        return services.leaving.exportFor(member(req), {
          name: instance?.name ?? 'Hearth',
          url: publicUrl.origin,
          timeZone: instance?.timeZone ?? DEFAULT_TIME_ZONE,
          language: instance?.language ?? DEFAULT_LOCALE,
        });
      },
      respond: (doc, _req, res) => {
        res.set({ 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${exportFileName(doc)}"` });
        res.send(exportArchive(doc));
      },
      form: { view: 'settings-leave', page: pageView },
    }),
  );

  router.post(
    '/settings/leave/delete',
    requireLogin,
    limits.passwordCheck,
    form({
      fields: ['posts', 'handle', 'password'],
      run: (f, req) => services.leaving.requestDeletion(member(req), f),
      // Every other login already ended with the request; this one ends now.
      respond: (_r, req, res) => logOutAndGo(req, res, '/goodbye'),
      form: { view: 'settings-leave', page: pageView },
    }),
  );

  router.get('/goodbye', (_req: Request, res: Response) => {
    res.render('goodbye', { title: msg('accounts.goodbye.title') });
  });
  return router;
}
