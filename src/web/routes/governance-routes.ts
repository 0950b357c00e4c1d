import { Router, type Request } from 'express';
import { DEFAULT_POLICY } from '../../../moderation/index.js';
import { NotFoundError } from '../../domain/errors.js';
import { isSteward } from '../../domain/members/member.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, idParam } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';
import { withEventWords } from '../moderation-words.js';



/** A circle's (and the instance's) governance: moderators, agreements, rules, the public log, proposals and votes. */
export function governanceRoutes({ services, limits }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;
  const logView = withEventWords;

  router.get(
    '/c/:slug/moderation',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const viewer = req.user;
      const moderators = await mod.governance.moderators(circle.id);
      res.render('moderation/circle', {
        title: `How ${circle.name} is kept safe`,
        circle,
        moderators,
        agreements: (await mod.governance.agreements(circle.id)).current,
        policy: await mod.governance.policy(circle.id),
        log: logView((await mod.governance.log(circle.id)).slice(0, 10)),
        proposals: await mod.proposals.list(circle.id),
        memberCount: await mod.safety.circleMemberCount(circle.id),
        isMember: viewer ? await mod.safety.isCircleMember(viewer.id, circle.id) : false,
        isModerator: await mod.governance.moderates(viewer, circle.id),
        isElectedOrFounder: !!viewer && moderators.some((m) => m.memberId === viewer.id),
        canStartElection: !!viewer && (isSteward(viewer) || (await mod.safety.isCircleMember(viewer.id, circle.id))),
      });
    }),
  );

  router.post(
    '/c/:slug/:choice(join|leave)',
    requireLogin,
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      if (req.params.choice === 'join') await mod.safety.join(member(req), circle.id);
      else await mod.safety.leave(member(req), circle.id);
      res.redirect(303, `/c/${circle.slug}/moderation`);
    }),
  );

  router.post(
    '/c/:slug/step-down',
    requireLogin,
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      await mod.governance.stepDown(member(req), circle);
      res.redirect(303, `/c/${circle.slug}/moderation`);
    }),
  );

  router.get(
    '/c/:slug/agreements',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const { current, versions } = await mod.governance.agreements(circle.id);
      res.render('moderation/agreements', { title: `Agreements of ${circle.name}`, circle, current, versions });
    }),
  );

  router.get(
    '/agreements',
    asyncHandler(async (_req, res) => {
      const { current, versions } = await mod.governance.agreements(null);
      res.render('moderation/agreements', { title: 'Instance agreements', circle: null, current, versions });
    }),
  );

  router.get(
    '/c/:slug/log',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const before = idParam(typeof req.query.before === 'string' ? req.query.before : undefined);
      const entries = logView(await mod.governance.log(circle.id, before));
      res.render('moderation/log', { title: `Moderation log of ${circle.name}`, circle, entries, older: entries.length === 50 ? entries[49]!.id : null });
    }),
  );

  router.get(
    '/moderation/log',
    asyncHandler(async (req, res) => {
      const before = idParam(typeof req.query.before === 'string' ? req.query.before : undefined);
      const entries = logView(await mod.governance.log(null, before));
      res.render('moderation/log', { title: 'Instance moderation log', circle: null, entries, older: entries.length === 50 ? entries[49]!.id : null });
    }),
  );

  // ---- rules (moderators) -----------------------------------------------------
  const rulesView = async (req: Request) => {
    const circle = await services.circles.get(req.params.slug!, req.user);
    return { title: `Rules of ${circle.name}`, circle, defaults: DEFAULT_POLICY };
  };
  router.get(
    '/c/:slug/rules',
    requireLogin,
    asyncHandler(async (req, res) => {
      const view = await rulesView(req);
      const p = await mod.governance.policy(view.circle.id);
      res.render('moderation/rules', {
        ...view,
        values: {
          ...p,
          confirmHours: String(p.confirmHours),
          termDays: String(p.termDays),
          quorumPercent: String(p.quorumPercent),
          keywordFilters: p.keywordFilters.join('\n'),
        },
      });
    }),
  );
  router.post(
    '/c/:slug/rules',
    requireLogin,
    asyncHandler(async (req, res) => {
      const view = await rulesView(req);
      try {
        const f = formFields(req, ['confirmHours', 'termDays', 'quorumPercent', 'quorumFallback', 'firstPostsHeld', 'contentWarningRequired', 'keywordFilters'] as const);
        await mod.governance.setPolicy(member(req), view.circle, f);
        res.redirect(303, `/c/${view.circle.slug}/moderation`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'moderation/rules', problem, view);
      }
    }),
  );

  // ---- proposals and votes -------------------------------------------------------
  const newProposalView = async (req: Request) => {
    const slug = req.params.slug;
    const circle = slug ? await services.circles.get(slug, req.user) : null;
    const kind = typeof req.query.kind === 'string' ? req.query.kind : ((req.body as Record<string, unknown> | undefined)?.kind as string | undefined);
    const agreements = await mod.governance.agreements(circle?.id ?? null);
    return {
      title: 'New proposal',
      circle,
      kind,
      moderators: circle ? (await mod.governance.moderators(circle.id)).filter((m) => !m.founder) : [],
      currentAgreements: agreements.current.items.join('\n'),
    };
  };
  router.get(
    ['/c/:slug/proposals/new', '/proposals/new'],
    requireLogin,
    asyncHandler(async (req, res) => {
      const view = await newProposalView(req);
      res.render('moderation/proposal-new', { ...view, values: { kind: view.kind ?? '', agreements: view.currentAgreements, mode: 'majority' } });
    }),
  );
  router.post(
    ['/c/:slug/proposals', '/proposals'],
    requireLogin,
    limits.proposals,
    asyncHandler(async (req, res) => {
      const view = await newProposalView(req);
      const f = formFields(req, ['kind', 'title', 'body', 'mode', 'votingDays', 'nominationDays', 'seats', 'termId', 'agreements', 'host'] as const);
      const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
      try {
        const p = await mod.proposals.propose(member(req), {
          circleSlug: view.circle?.slug,
          kind: f.kind,
          title: f.title,
          body: f.body,
          mode: f.mode || undefined,
          votingDays: num(f.votingDays),
          nominationDays: num(f.nominationDays),
          seats: num(f.seats),
          termId: num(f.termId),
          agreements: f.agreements,
          host: f.host,
        });
        res.redirect(303, `/proposals/${p.id}`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'moderation/proposal-new', problem, view);
      }
    }),
  );

  const proposalView = async (req: Request) => {
    const proposalId = idParam(req.params.id);
    if (!proposalId) throw new NotFoundError('That proposal isn’t here.');
    const view = await mod.proposals.view(proposalId, req.user);
    const circle = view.proposal.circleId !== null ? await services.circles.byId(view.proposal.circleId) : null;
    const candidates = view.nominations.filter((n) => n.accepted);
    const totals = view.totals
      ? Object.entries(view.totals).map(([choice, count]) => ({ label: candidates.find((c) => String(c.memberId) === choice)?.handle ?? choice, count }))
      : null;
    return {
      title: view.proposal.title,
      ...view,
      circle,
      candidates,
      totals,
      myNomination: req.user ? view.nominations.find((n) => n.memberId === req.user!.id) : undefined,
    };
  };
  router.get(
    '/proposals/:id',
    asyncHandler(async (req, res) => {
      const view = await proposalView(req);
      res.render('moderation/proposal', { ...view, values: { choice: view.myBallot?.choice ?? '', reason: view.myBallot?.reason ?? '' } });
    }),
  );
  router.post(
    '/proposals/:id/vote',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['choice', 'reason'] as const);
      try {
        await mod.proposals.vote(member(req), idParam(req.params.id) ?? 0, f.choice, f.reason);
        res.redirect(303, `/proposals/${req.params.id}#vote`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'moderation/proposal', problem, await proposalView(req));
      }
    }),
  );
  router.post(
    '/proposals/:id/nominate',
    requireLogin,
    limits.nominations,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['handle'] as const);
      try {
        await mod.proposals.nominate(member(req), idParam(req.params.id) ?? 0, f.handle);
        res.redirect(303, `/proposals/${req.params.id}#nominations`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'moderation/proposal', problem, await proposalView(req));
      }
    }),
  );
  router.post(
    '/proposals/:id/nomination',
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['accept'] as const);
      await mod.proposals.answerNomination(member(req), idParam(req.params.id) ?? 0, f.accept === '1');
      res.redirect(303, `/proposals/${req.params.id}#nominations`);
    }),
  );

  return router;
}
