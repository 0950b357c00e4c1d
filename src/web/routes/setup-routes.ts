import { Router } from 'express';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../async-handler.js';
import { formFields } from '../form-input.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

/** The first visit to a new instance: name it and create the first steward. */
export function setupRoutes({ services, limits }: RouteContext): Router {
  const router = Router();
  const view = { title: 'Set up your Hearth', limits: LIMITS };

  router.get(
    '/setup',
    asyncHandler(async (_req, res) => {
      if (await services.instance.isSetUp()) return res.redirect(303, '/');
      res.render('setup', { ...view, values: {} });
    }),
  );

  router.post(
    '/setup',
    limits.registration,
    asyncHandler(async (req, res, next) => {
      if (await services.instance.isSetUp()) return res.redirect(303, '/');
      try {
        const f = formFields(req, ['name', 'description', 'handle', 'password', 'email', 'displayName'] as const);
        const { steward } = await services.instance.setup({
          name: f.name,
          description: f.description,
          steward: { handle: f.handle, password: f.password, email: f.email, displayName: f.displayName },
        });
        req.login(steward!, (error) => (error ? next(error) : res.redirect(303, '/?welcome=steward')));
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'setup', problem, view);
      }
    }),
  );
  return router;
}
