import { Router } from 'express';
import type { RouteContext } from '../route-context.js';
import { actionRoutes } from './action-routes.js';
import { appealRoutes } from './appeal-routes.js';
import { hubRoutes } from './hub-routes.js';
import { queueRoutes } from './queue-routes.js';
import { reportRoutes } from './report-routes.js';

/** Moderation's pages, by job: reporting, the moderation page and check-ins, review queues, acting, appeals. */
export function moderationRoutes(ctx: RouteContext): Router {
  return Router().use(reportRoutes(ctx), hubRoutes(ctx), queueRoutes(ctx), actionRoutes(ctx), appealRoutes(ctx));
}
