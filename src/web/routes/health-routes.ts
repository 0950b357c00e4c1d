import { Router } from 'express';

/** GET /healthz: 200 once the database answers, 503 otherwise. */
export function healthRoutes(ping: () => Promise<void>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    ping().then(
      () => res.status(200).json({ status: 'ok', database: 'reachable' }),
      () => res.status(503).json({ status: 'unavailable', database: 'unreachable' }),
    );
  });
  return router;
}
