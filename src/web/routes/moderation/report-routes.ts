import { Router, type Request } from 'express';
import { REPORT_REASONS } from '../../../../moderation/index.js';
import { NotFoundError } from '../../../domain/errors.js';
import { member, requireLogin } from '../../guards.js';
import type { RouteContext } from '../route-context.js';
import { idOf } from './shared.js';
import { formPage } from '../../form-route.js';

/** Reporting a post, a member or an account on another server. */
export function reportRoutes(ctx: RouteContext): Router {
  const { services, limits, form } = ctx;
  const router = Router();

  const reportTarget = async (req: Request) => {
    const q = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown>;
    const given = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
    const postId = given('post') !== undefined ? idOf(given('post'), 'That post') : undefined;
    const memberHandle = given('member');
    const remoteActorId = given('remote') !== undefined ? idOf(given('remote'), 'That account') : undefined;
    if (postId === undefined && memberHandle === undefined && remoteActorId === undefined) throw new NotFoundError('Choose a post or a member to report.');
    const post = postId !== undefined ? (await services.threads.locate(postId, req.user)).post : undefined;
    return { postId, memberHandle, remoteActorId, post, remote: !!post?.remoteAuthor || remoteActorId !== undefined };
  };
  const reportPage = async (req: Request) => ({ title: 'Report', target: await reportTarget(req), reasons: REPORT_REASONS });

  router.get(
    '/report',
    requireLogin,
    formPage('moderation/report', reportPage),
  );

  router.post(
    '/report',
    requireLogin,
    limits.posting,
    form({
      fields: ['post', 'member', 'remote', 'reason', 'note', 'forward', 'forwardNote'],
      once: true,
      run: async (f, req) => {
        const target = await reportTarget(req);
        return services.moderation.reports.report(member(req), {
          postId: target.postId,
          memberHandle: target.memberHandle,
          remoteActorId: target.remoteActorId,
          reason: f.reason,
          note: f.note,
          forward: f.forward === 'on',
          forwardNote: f.forwardNote,
        });
      },
      redirect: () => '/moderation?done=report',
      form: { view: 'moderation/report', page: reportPage },
    }),
  );
  return router;
}
