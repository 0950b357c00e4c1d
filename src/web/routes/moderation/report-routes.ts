import { Router, type Request } from 'express';
import { REPORT_REASONS } from '../../../../moderation/index.js';
import { NotFoundError } from '../../../domain/errors.js';
import { member, requireLogin } from '../../guards.js';
import type { RouteContext } from '../route-context.js';
import { idOf } from './shared.js';
import { formPage } from '../../form-route.js';
import { msg } from '../../../i18n/message.js';

/** Reporting a post, a member or an account on another server. */
export function reportRoutes(ctx: RouteContext): Router {
  const { services, limits, form } = ctx;
  const router = Router();

  const reportTarget = async (req: Request) => {
    const q = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown>;
    const given = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
    const postId = given('post') !== undefined ? idOf(given('post'), msg('moderation.missing.post')) : undefined;
    const memberHandle = given('member');
    const remoteActorId = given('remote') !== undefined ? idOf(given('remote'), msg('moderation.missing.account')) : undefined;
    if (postId === undefined && memberHandle === undefined && remoteActorId === undefined) throw new NotFoundError(msg('moderation.report.choose_target'));
    const post = postId !== undefined ? (await services.threads.locate(postId, req.user)).post : undefined;
    return { postId, memberHandle, remoteActorId, post, remote: !!post?.remoteAuthor || remoteActorId !== undefined };
  };
  const reportPage = async (req: Request) => ({
    title: msg('moderation.report.title'),
    target: await reportTarget(req),
    reasons: REPORT_REASONS.map((r) => ({ value: r.value, label: msg(`moderation.reason.${r.value}`), hint: msg(`moderation.reason.${r.value}_hint`) })),
  });

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
