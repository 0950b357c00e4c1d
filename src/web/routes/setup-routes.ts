import { Router } from 'express';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../../http/async-handler.js';
import { logInAndGo } from '../session-login.js';
import type { RouteContext } from './route-context.js';
import { msg } from '../../i18n/message.js';

/** The first visit to a new instance: name it and create the first steward. */
export function setupRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  const view = { title: msg('accounts.setup.title'), limits: LIMITS };

  router.get(
    '/setup',
    asyncHandler(async (_req, res) => {
      if (await services.instance.isSetUp()) return res.redirect(303, '/');
      res.render('setup', { ...view, values: { registrationMode: 'approval' } });
    }),
  );

  router.post(
    '/setup',
    limits.registration,
    form({
      fields: ['name', 'description', 'registrationMode', 'handle', 'password', 'email', 'displayName'],
      run: async (f) => {
        // Set up already (a second tab, Back and send again): nothing more to do.
        if (await services.instance.isSetUp()) return undefined;
        const { steward } = await services.instance.setup({
          name: f.name,
          description: f.description,
          registrationMode: f.registrationMode,
          steward: { handle: f.handle, password: f.password, email: f.email, displayName: f.displayName },
        });
        return steward;
      },
      respond: async (steward, req, res) => {
        if (steward) await logInAndGo(req, res, steward, '/?welcome=steward');
        else res.redirect(303, '/');
      },
      form: { view: 'setup', page: () => view },
    }),
  );
  return router;
}
