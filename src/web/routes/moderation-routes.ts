import { Router, type Request } from 'express';
import { ACTION_KINDS, reasonLabel, REPORT_REASONS, reportStatusText, type ActionKind } from '../../../moderation/index.js';
import { NotFoundError } from '../../domain/errors.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, idParam } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';
import { withEventWords } from '../moderation-words.js';

/** Fixed notices for ?done=…, so nothing from the address is echoed into the page. */
const DONE: Record<string, string> = {
  report: 'Thank you. Your report was sent; you can follow it here.',
  appeal: 'Your appeal was sent to peers who were not involved.',
  checkin: 'Your message was sent.',
  volunteer: 'Your choices were saved.',
};

function optionalInt(raw: string): number | undefined {
  if (raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : NaN;
}

/** Reports, the review queue, actions, confirmations, appeals and check-ins. */
export function moderationRoutes({ services, limits }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;
  const id = (raw: string | undefined, what = 'That page') => {
    const n = idParam(raw);
    if (!n) throw new NotFoundError(`${what} isn’t here.`);
    return n;
  };

  // ---- reporting ------------------------------------------------------------
  const reportTarget = async (req: Request) => {
    const q = req.method === 'GET' ? req.query : (req.body as Record<string, unknown>);
    const postId = typeof q.post === 'string' && q.post !== '' ? id(q.post, 'That post') : undefined;
    const memberHandle = typeof q.member === 'string' && q.member !== '' ? q.member : undefined;
    const remoteActorId = typeof q.remote === 'string' && q.remote !== '' ? id(q.remote, 'That account') : undefined;
    if (postId === undefined && memberHandle === undefined && remoteActorId === undefined) throw new NotFoundError('Choose a post or a member to report.');
    let post;
    if (postId !== undefined) post = (await services.threads.locate(postId, req.user)).post;
    return { postId, memberHandle, remoteActorId, post, remote: !!post?.remoteAuthor || remoteActorId !== undefined };
  };
  const reportView = async (req: Request) => {
    const target = await reportTarget(req);
    return { title: 'Report', target, reasons: REPORT_REASONS };
  };

  router.get(
    '/report',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('moderation/report', { ...(await reportView(req)), values: {} });
    }),
  );

  router.post(
    '/report',
    requireLogin,
    limits.posting,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['post', 'member', 'remote', 'reason', 'note', 'forward'] as const);
      try {
        const target = await reportTarget(req);
        await mod.reports.report(member(req), {
          postId: target.postId,
          memberHandle: target.memberHandle,
          remoteActorId: target.remoteActorId,
          reason: f.reason,
          note: f.note,
          forward: f.forward === 'on',
        });
        res.redirect(303, '/moderation?done=report');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'moderation/report', problem, await reportView(req));
      }
    }),
  );

  // ---- the hub: my reports, actions about me, check-ins, queues -------------
  router.get(
    '/moderation',
    asyncHandler(async (req, res) => {
      const viewer = req.user;
      const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
      const instanceLog = withEventWords((await mod.governance.log(null)).slice(0, 10));
      const instanceProposals = await mod.proposals.list(null);
      if (!viewer || viewer.status !== 'active') {
        return res.render('moderation/hub', { title: 'Moderation', instanceLog, instanceProposals });
      }
      const reports = (await mod.reports.mine(viewer)).map((r) => ({ ...r, reasonLabel: reasonLabel(r.reason), statusText: reportStatusText(r.status, r.outcome) }));
      const aboutMe = await Promise.all(
        (await mod.actions.affecting(viewer)).map(async (a) => ({ ...a, label: ACTION_KINDS[a.kind].label, appeal: await mod.appeals.forAction(a.id) })),
      );
      res.render('moderation/hub', {
        title: 'Moderation',
        done,
        instanceLog,
        instanceProposals,
        reports,
        aboutMe,
        checkIns: await mod.safety.checkIns(viewer),
        moderating: await mod.governance.moderatedBy(viewer),
        stewardQueue: await mod.governance.moderates(viewer, null),
        appeals: await mod.appeals.toDecide(viewer),
        volunteering: await mod.safety.volunteering(viewer),
        blocked: await mod.safety.blocked(viewer),
      });
    }),
  );

  router.post(
    '/moderation/volunteer',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['checkIn', 'appealPanel'] as const);
      await mod.safety.setVolunteering(member(req), { checkIn: f.checkIn === 'on', appealPanel: f.appealPanel === 'on' });
      res.redirect(303, '/moderation?done=volunteer');
    }),
  );

  router.post(
    '/moderation/blocks',
    requireLogin,
    limits.blocks,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['handle', 'unblock'] as const);
      if (f.unblock === '1') await mod.safety.unblock(member(req), f.handle);
      else await mod.safety.block(member(req), f.handle);
      res.redirect(303, '/moderation#blocks');
    }),
  );

  router.post(
    '/check-ins/:id/reply',
    requireLogin,
    limits.posting,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['body'] as const);
      await mod.safety.replyToCheckIn(member(req), id(req.params.id, 'That check-in'), f.body);
      res.redirect(303, '/moderation?done=checkin#check-ins');
    }),
  );

  // ---- worried-about-someone reports, for check-in volunteers ----------------
  router.get(
    '/check-ins/worried',
    requireLogin,
    asyncHandler(async (req, res) => {
      const reports = await mod.reports.worried(member(req));
      const withPosts = await Promise.all(
        reports.map(async (r) => ({
          ...r,
          post: r.postId ? await services.threads.locate(r.postId, req.user).then((x) => x.post, () => undefined) : undefined,
          person: r.memberId ? await services.members.findById(r.memberId) : undefined,
        })),
      );
      res.render('moderation/worried', { title: 'Someone could use a check-in', reports: withPosts });
    }),
  );

  router.post(
    '/check-ins/worried/:id',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['message'] as const);
      await mod.reports.checkIn(member(req), id(req.params.id, 'That report'), f.message);
      res.redirect(303, '/check-ins/worried');
    }),
  );

  // ---- the review queue -------------------------------------------------------
  const queueView = async (req: Request) => {
    const slug = req.params.slug;
    const circle = slug ? await services.circles.get(slug, req.user) : null;
    const queue = await mod.governance.queue(member(req), circle);
    const label = (k: ActionKind) => ACTION_KINDS[k].label;
    return {
      title: circle ? `Review: ${circle.name}` : 'Review: instance',
      circle,
      reports: await Promise.all(
        queue.reports.map(async (r) => ({
          ...r,
          reasonLabel: reasonLabel(r.item.reason),
          subjectHandle: r.item.memberId !== null ? (await services.members.findById(r.item.memberId))?.handle : undefined,
        })),
      ),
      held: queue.held,
      awaiting: queue.awaiting.map((a) => ({ ...a, label: label(a.item.kind) })),
      standing: queue.standing.map((a) => ({ ...a, label: label(a.kind) })),
      labels: Object.fromEntries(Object.values(ACTION_KINDS).map((k) => [k.kind, k.label])),
    };
  };

  router.get('/c/:slug/review', requireLogin, asyncHandler(async (req, res) => res.render('moderation/queue', await queueView(req))));
  router.get('/moderation/review', requireLogin, asyncHandler(async (req, res) => res.render('moderation/queue', await queueView(req))));

  // ---- acting ---------------------------------------------------------------
  const ACT_FIELDS = ['kind', 'circle', 'post', 'thread', 'member', 'remote', 'host', 'report', 'agreement', 'reason', 'hours', 'message', 'contentWarning', 'slowMinutes', 'withholdName', 'emergency'] as const;
  const actView = async (req: Request) => {
    const src = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown>;
    const text = (k: string) => (typeof src[k] === 'string' ? (src[k] as string) : '');
    const postId = text('post') ? id(text('post'), 'That post') : undefined;
    const threadId = text('thread') ? id(text('thread'), 'That thread') : undefined;
    let circleSlug = text('circle') || undefined;
    let post;
    if (postId) {
      const found = await services.threads.locate(postId, req.user);
      post = found.post;
      circleSlug = found.circle.slug;
    }
    const circle = circleSlug ? await services.circles.get(circleSlug, req.user) : null;
    const agreements = await mod.governance.agreements(circle?.id ?? null);
    const instanceAgreements = circle ? (await mod.governance.agreements(null)).current : null;
    const scope = circle ? 'circle' : 'instance';
    const kinds = Object.values(ACTION_KINDS).filter((k) => {
      if (k.scope !== scope) return false;
      if (postId) return k.target === 'post' || k.target === 'member';
      if (threadId) return k.target === 'thread';
      if (text('member') || text('remote')) return k.target === 'member';
      return scope === 'instance';
    });
    return {
      title: 'Moderate',
      circle,
      post,
      target: { post: text('post'), thread: text('thread'), member: text('member'), remote: text('remote'), report: text('report'), host: text('host') },
      kinds: kinds.map((k) => ({ ...k, days: k.hours ? Math.round(k.hours.default / 24) : null })),
      agreementChoices: [
        ...agreements.current.items.map((item, i) => `${circle ? 'Circle' : 'Instance'} agreement ${i + 1} (version ${agreements.current.version}): ${item}`),
        ...(instanceAgreements ? instanceAgreements.items.map((item, i) => `Instance agreement ${i + 1} (version ${instanceAgreements.version}): ${item}`) : []),
      ],
    };
  };

  router.get(
    '/moderation/act',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('moderation/act', { ...(await actView(req)), values: { kind: typeof req.query.kind === 'string' ? req.query.kind : '' } });
    }),
  );

  router.post(
    '/moderation/act',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ACT_FIELDS);
      try {
        const view = await actView(req);
        const hours = optionalInt(f.hours);
        const input = {
          kind: f.kind,
          circleSlug: view.circle?.slug,
          postId: idParam(f.post),
          threadId: idParam(f.thread),
          memberHandle: f.member || undefined,
          remoteActorId: idParam(f.remote),
          host: f.host || undefined,
          reportId: idParam(f.report),
          agreement: f.agreement,
          reason: f.reason,
          hours,
          message: f.message,
          contentWarning: f.contentWarning,
          slowMinutes: optionalInt(f.slowMinutes),
          withholdName: f.withholdName === 'on',
        };
        if (f.emergency === 'on' && !view.circle) {
          const { proposal } = await mod.proposals.emergency(member(req), input);
          return res.redirect(303, `/proposals/${proposal.id}`);
        }
        const action = await mod.actions.act(member(req), input);
        res.redirect(303, action.circleId !== null && view.circle ? `/c/${view.circle.slug}/review` : '/moderation/review');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'moderation/act', problem, await actView(req));
      }
    }),
  );

  const backToQueue = async (circleId: number | null) => {
    if (circleId === null) return '/moderation/review';
    const rows = await services.circles.byId(circleId);
    return rows ? `/c/${rows.slug}/review` : '/moderation';
  };

  router.post(
    '/moderation/actions/:id/confirm',
    requireLogin,
    asyncHandler(async (req, res) => {
      const action = await mod.actions.confirm(member(req), id(req.params.id, 'That action'));
      res.redirect(303, await backToQueue(action.circleId));
    }),
  );

  router.post(
    '/moderation/actions/:id/vote',
    requireLogin,
    asyncHandler(async (req, res) => {
      const proposal = await mod.proposals.putActionToVote(member(req), id(req.params.id, 'That action'));
      res.redirect(303, `/proposals/${proposal.id}`);
    }),
  );

  router.post(
    '/moderation/actions/:id/step-back',
    requireLogin,
    asyncHandler(async (req, res) => {
      const actionId = id(req.params.id, 'That action');
      await mod.governance.stepBackFromCase(member(req), { actionId });
      res.redirect(303, '/moderation');
    }),
  );

  router.post(
    '/moderation/reports/:id/close',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['outcome', 'outcomeNote'] as const);
      const report = await mod.reports.close(member(req), id(req.params.id, 'That report'), f.outcome, f.outcomeNote);
      res.redirect(303, await backToQueue(report.circleId));
    }),
  );

  router.post(
    '/moderation/reports/:id/step-back',
    requireLogin,
    asyncHandler(async (req, res) => {
      await mod.governance.stepBackFromCase(member(req), { reportId: id(req.params.id, 'That report') });
      res.redirect(303, '/moderation');
    }),
  );

  router.post(
    '/moderation/held/:id',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['decision'] as const);
      const postId = id(req.params.id, 'That post');
      const { circle } = await services.threads.locate(postId, req.user);
      await mod.governance.reviewHeld(member(req), postId, f.decision === 'show');
      res.redirect(303, `/c/${circle.slug}/review`);
    }),
  );

  // ---- appeals ----------------------------------------------------------------
  router.get(
    '/moderation/actions/:id/appeal',
    requireLogin,
    asyncHandler(async (req, res) => {
      const action = await mod.actions.mineToAppeal(member(req), id(req.params.id, 'That action'));
      res.render('moderation/appeal', { title: 'Appeal', action, label: ACTION_KINDS[action.kind].label, values: {} });
    }),
  );

  router.post(
    '/moderation/actions/:id/appeal',
    requireLogin,
    asyncHandler(async (req, res) => {
      const actionId = id(req.params.id, 'That action');
      const f = formFields(req, ['statement'] as const);
      try {
        await mod.appeals.appeal(member(req), actionId, f.statement);
        res.redirect(303, '/moderation?done=appeal');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        const action = await mod.actions.mineToAppeal(member(req), actionId);
        rerenderForm(req, res, 'moderation/appeal', problem, { title: 'Appeal', action, label: ACTION_KINDS[action.kind].label });
      }
    }),
  );

  router.post(
    '/appeals/:id',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['decision', 'reason'] as const);
      await mod.appeals.decide(member(req), id(req.params.id, 'That appeal'), f.decision, f.reason);
      res.redirect(303, '/moderation#appeals');
    }),
  );

  return router;
}
