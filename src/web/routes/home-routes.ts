import { Router } from 'express';
import { asyncHandler } from '../../http/async-handler.js';
import type { RouteContext } from './route-context.js';

export function homeRoutes({ services }: RouteContext): Router {
  const router = Router();
  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const circles = await services.circles.list(req.user);
      const welcome = req.query.welcome === 'steward' || req.query.welcome === 'member' ? req.query.welcome : undefined;
      const [waiting, latest] = await Promise.all([services.threads.waiting(req.user, 5), services.threads.recent(req.user, 8)]);
      res.render('home', { circles, welcome, waiting, latest, now: services.threads.now() });
    }),
  );
  return router;
}
