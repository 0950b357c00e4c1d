import { msg } from '../../i18n/message.js';
import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { SUPPORT_LIMITS } from '../../domain/support/support-line-service.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin, requireSteward } from '../guards.js';
import type { RouteContext } from './route-context.js';

const FIELDS = ['name', 'howToReach', 'link', 'hours', 'languages', 'description', 'emergencyServices'] as const;

/** Someone to talk to, waiting for a reply, and "I'm okay now". */
export function supportRoutes({ services, publicUrl, form }: RouteContext): Router {
  const router = Router();

  router.get(
    '/support',
    asyncHandler(async (_req, res) => {
      res.render('support', { title: msg('staying.support.title'), lines: await services.support.list() });
    }),
  );

  // What the words used here mean (instance, circle, handle, other servers, stewards…).
  router.get('/about', (_req, res) => {
    res.render('about', { title: msg('accounts.about.title'), host: publicUrl.host });
  });

  router.get(
    '/waiting',
    asyncHandler(async (req, res) => {
      res.render('waiting', { title: msg('circles.waiting.title'), waiting: await services.threads.waiting(req.user) });
    }),
  );

  const threadId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('circles.error.no_thread_here'));
    return id;
  };
  router.post(
    '/c/:slug/t/:id/:state(resolved|open)',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => services.threads.setResolved(member(req), req.params.slug!, threadId(req), req.params.state === 'resolved'),
      redirect: (_r, req) => `/c/${req.params.slug!}/t/${threadId(req)}`,
    }),
  );

  // Stewards keep the list.
  router.use('/steward/support', requireSteward);
  const listView = async () => ({ title: msg('governance.support.title'), lines: await services.support.list(), limits: SUPPORT_LIMITS });
  const lineId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('governance.error.support_line_gone'));
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
    form({
      fields: FIELDS,
      once: true,
      run: (f, req) => services.support.add(member(req), f),
      redirect: () => '/steward/support',
      form: { view: 'steward/support', page: listView },
    }),
  );

  router.get(
    '/steward/support/:id',
    asyncHandler(async (req, res) => {
      const line = await services.support.get(member(req), lineId(req));
      res.render('steward/support-edit', { title: msg('governance.support.edit_title', { name: line.name }), line, values: { ...line, link: line.link ?? '' }, limits: SUPPORT_LIMITS });
    }),
  );

  const editPage = async (req: Request) => {
    const line = await services.support.get(member(req), lineId(req));
    return { title: msg('governance.support.edit_title', { name: line.name }), line, limits: SUPPORT_LIMITS };
  };

  router.post(
    '/steward/support/:id',
    form({
      fields: FIELDS,
      run: (f, req) => services.support.update(member(req), lineId(req), f),
      redirect: () => '/steward/support',
      form: { view: 'steward/support-edit', page: editPage },
    }),
  );

  router.post(
    '/steward/support/:id/delete',
    form({ fields: [], run: (_f, req) => services.support.remove(member(req), lineId(req)), redirect: () => '/steward/support' }),
  );
  return router;
}
