import { Router, type Request } from 'express';
import { ACTION_KIND_NAMES, type ActionKind } from '../../../../moderation/index.js';
import { msg } from '../../../i18n/message.js';
import { ValidationError } from '../../../domain/errors.js';
import { asyncHandler } from '../../../http/async-handler.js';
import { member, requireLogin } from '../../guards.js';
import type { RouteContext } from '../route-context.js';
import { idOf, queuePath, reasonWords } from './shared.js';

/** The review queues (a circle's, and the stewards' for the instance) and what moderators do from them. */
export function queueRoutes(ctx: RouteContext): Router {
  const { services, form } = ctx;
  const router = Router();
  const mod = services.moderation;

  const queuePage = async (req: Request) => {
    const slug = req.params.slug;
    const circle = slug ? await services.circles.get(slug, req.user) : null;
    const queue = await mod.governance.queue(member(req), circle);
    const label = (k: ActionKind) => msg(`moderation.action_kind.${k}`);
    return {
      title: circle ? msg('moderation.queue.title_circle', { name: circle.name }) : msg('moderation.queue.title_instance'),
      circle,
      reports: await Promise.all(
        queue.reports.map(async (r) => ({
          ...r,
          reasonLabel: reasonWords(r.item.reason),
          subjectHandle: r.item.memberId !== null ? (await services.members.findById(r.item.memberId))?.handle : undefined,
          // A message in a private conversation: its words only when the reporter chose to include them.
          sharedMessage: r.item.conversationMessageId !== null && r.item.messageTextShared ? await services.conversations.sharedByReporter(r.item.conversationMessageId) : undefined,
        })),
      ),
      held: queue.held,
      joinRequests: circle && circle.visibility !== 'public' ? await mod.safety.joinRequests(member(req), circle.id) : [],
      awaiting: queue.awaiting.map((a) => ({ ...a, label: label(a.item.kind) })),
      standing: queue.standing.map((a) => ({ ...a, label: label(a.kind) })),
      labels: Object.fromEntries(ACTION_KIND_NAMES.map((k) => [k, label(k)])),
    };
  };

  router.get(['/c/:slug/review', '/moderation/review'], requireLogin, asyncHandler(async (req, res) => res.render('moderation/queue', await queuePage(req))));

  router.post(
    '/c/:slug/join-requests/:id',
    requireLogin,
    form({
      fields: ['decision'],
      run: async (f, req) => {
        const circle = await services.circles.get(req.params.slug!, req.user);
        const id = idOf(req.params.id, msg('moderation.missing.join_request'));
        if (f.decision !== 'approve' && f.decision !== 'decline') throw new ValidationError({ decision: msg('moderation.queue.join_decision_needed') });
        await mod.safety.decideJoinRequest(member(req), circle.id, id, f.decision === 'approve');
      },
      redirect: (_r, req) => `/c/${req.params.slug!}/review`,
    }),
  );

  const actionId = (req: Request) => idOf(req.params.id, msg('moderation.missing.action'));
  const reportId = (req: Request) => idOf(req.params.id, msg('moderation.missing.report'));

  router.post(
    '/moderation/actions/:id/confirm',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => mod.actions.confirm(member(req), actionId(req)),
      // Back to the queue it was confirmed from: the circle's, or the stewards'.
      redirect: async (action, req) => ((await mod.governance.moderates(req.user, action.circleId)) ? queuePath(ctx, action.circleId) : '/moderation/review'),
    }),
  );

  router.post(
    '/moderation/actions/:id/vote',
    requireLogin,
    form({ fields: [], run: (_f, req) => mod.proposals.putActionToVote(member(req), actionId(req)), redirect: (proposal) => `/proposals/${proposal.id}` }),
  );

  router.post(
    '/moderation/actions/:id/step-back',
    requireLogin,
    form({ fields: [], run: (_f, req) => mod.governance.stepBackFromCase(member(req), { actionId: actionId(req) }), redirect: () => '/moderation' }),
  );

  router.post(
    '/moderation/reports/:id/close',
    requireLogin,
    form({
      fields: ['outcome', 'outcomeNote'],
      run: (f, req) => mod.reports.close(member(req), reportId(req), f.outcome, f.outcomeNote),
      redirect: (report) => queuePath(ctx, report.circleId),
    }),
  );

  router.post(
    '/moderation/reports/:id/step-back',
    requireLogin,
    form({ fields: [], run: (_f, req) => mod.governance.stepBackFromCase(member(req), { reportId: reportId(req) }), redirect: () => '/moderation' }),
  );

  router.post(
    '/moderation/held/:id',
    requireLogin,
    form({
      fields: ['decision'],
      run: async (f, req) => {
        const postId = idOf(req.params.id, msg('moderation.missing.post'));
        const { circle } = await services.threads.locate(postId, req.user);
        await mod.governance.reviewHeld(member(req), postId, f.decision === 'show');
        return circle;
      },
      redirect: (circle) => `/c/${circle.slug}/review`,
    }),
  );
  return router;
}
