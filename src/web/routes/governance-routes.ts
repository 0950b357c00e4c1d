import { Router, type Request } from 'express';
import { DEFAULT_POLICY, INSTANCE_SETTINGS, circleRulesProposal } from '../../../moderation/index.js';
import { NotFoundError } from '../../domain/errors.js';
import { msg, type MessageRef } from '../../i18n/message.js';
import { tr } from '../i18n.js';
import { isSteward } from '../../domain/members/member.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { withEventWords } from '../moderation-words.js';


const CHOICE_WORDS = {
  yes: msg('governance.choice.yes'),
  no: msg('governance.choice.no'),
  abstain: msg('governance.choice.abstain'),
  consent: msg('governance.choice.consent'),
  object: msg('governance.choice.object'),
} as const;

/** A total's name: a candidate's handle, or the choice in words. */
function totalLabel(choice: string, candidates: ReadonlyArray<{ memberId: number; handle: string }>): MessageRef | string {
  const candidate = candidates.find((c) => String(c.memberId) === choice);
  if (candidate) return candidate.handle;
  return Object.prototype.hasOwnProperty.call(CHOICE_WORDS, choice) ? CHOICE_WORDS[choice as keyof typeof CHOICE_WORDS] : choice;
}

/** A circle's (and the instance's) governance: moderators, agreements, rules, the public log, proposals and votes. */
export function governanceRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;
  const logView = withEventWords;

  router.get(
    '/c/:slug/moderation',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const viewer = req.user;
      const moderators = await mod.governance.moderators(circle.id);
      const policy = await mod.governance.policy(circle.id);
      res.render('moderation/circle', {
        title: msg('governance.circle.title', { circle: circle.name }),
        circle,
        moderators,
        agreements: (await mod.governance.agreements(circle.id)).current,
        policy,
        heldWords: policy.keywordFilters.map((word) => tr(res, 'governance.circle.quoted_word', { word })).join(', '),
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

  const circleModeration = (req: Request) => `/c/${req.params.slug!}/moderation`;
  router.post(
    '/c/:slug/:choice(join|leave)',
    requireLogin,
    form({
      fields: [],
      run: async (_f, req) => {
        if (req.params.choice === 'join') {
          const circle = await services.circles.forJoining(req.params.slug!, req.user);
          return mod.safety.join(member(req), circle.id);
        }
        const circle = await services.circles.get(req.params.slug!, req.user);
        await mod.safety.leave(member(req), circle.id);
        return 'left' as const;
      },
      // A members-only circle's request waits for its moderators: the circle's page says so.
      redirect: (r, req) => (r === 'requested' ? `/c/${req.params.slug!}` : circleModeration(req)),
    }),
  );

  router.post(
    '/c/:slug/step-down',
    requireLogin,
    form({
      fields: [],
      run: async (_f, req) => mod.governance.stepDown(member(req), await services.circles.get(req.params.slug!, req.user)),
      redirect: (_r, req) => circleModeration(req),
    }),
  );

  router.get(
    '/c/:slug/agreements',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const { current, versions } = await mod.governance.agreements(circle.id);
      res.render('moderation/agreements', { title: msg('governance.agreements.title_circle', { circle: circle.name }), circle, current, versions, isMember: !!req.user && (await mod.safety.isCircleMember(req.user.id, circle.id)) });
    }),
  );

  router.get(
    '/agreements',
    asyncHandler(async (_req, res) => {
      const { current, versions } = await mod.governance.agreements(null);
      res.render('moderation/agreements', { title: msg('governance.agreements.title_instance'), circle: null, current, versions, governance: await mod.instance.overview() });
    }),
  );

  router.get(
    '/c/:slug/log',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const before = idParam(typeof req.query.before === 'string' ? req.query.before : undefined);
      const entries = logView(await mod.governance.log(circle.id, before));
      res.render('moderation/log', { title: msg('moderation.log.title_circle', { name: circle.name }), circle, entries, older: entries.length === 50 ? entries[49]!.id : null });
    }),
  );

  router.get(
    '/moderation/log',
    asyncHandler(async (req, res) => {
      const before = idParam(typeof req.query.before === 'string' ? req.query.before : undefined);
      const entries = logView(await mod.governance.instanceLog(req.user, before));
      res.render('moderation/log', { title: msg('moderation.log.title_instance'), circle: null, instanceWide: true, entries, older: entries.length === 50 ? entries[49]!.id : null });
    }),
  );

  // ---- rules (moderators) -----------------------------------------------------
  const rulesView = async (req: Request) => {
    const circle = await services.circles.get(req.params.slug!, req.user);
    return { title: msg('governance.rules.title', { circle: circle.name }), circle, defaults: DEFAULT_POLICY, proposeRules: circleRulesProposal(circle.slug), current: await mod.governance.policy(circle.id) };
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
    form({
      fields: ['confirmHours', 'termDays', 'quorumPercent', 'quorumFallback', 'firstPostsHeld', 'contentWarningRequired', 'keywordFilters'],
      run: async (f, req) => mod.governance.setPolicy(member(req), (await rulesView(req)).circle, f),
      redirect: (_r, req) => circleModeration(req),
      form: { view: 'moderation/rules', page: rulesView },
    }),
  );

  // ---- proposals and votes -------------------------------------------------------
  const newProposalView = async (req: Request) => {
    const slug = req.params.slug;
    const circle = slug ? await services.circles.get(slug, req.user) : null;
    const kind = typeof req.query.kind === 'string' ? req.query.kind : ((req.body as Record<string, unknown> | undefined)?.kind as string | undefined);
    const agreements = await mod.governance.agreements(circle?.id ?? null);
    return {
      title: msg('governance.proposal_new.title'),
      circle,
      kind,
      moderators: circle ? (await mod.governance.moderators(circle.id)).filter((m) => !m.founder) : [],
      currentAgreements: agreements.current.items.join('\n'),
      agreementList: agreements.current.items,
      // The instance's proposals: stewards to recall, rules to change.
      stewards: circle ? [] : (await mod.instance.overview()).stewards,
      settings: circle ? [] : Object.entries(INSTANCE_SETTINGS).map(([name, rule]) => ({ name, label: rule.label })),
      policy: circle ? await mod.governance.policy(circle.id) : undefined,
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
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
  router.post(
    ['/c/:slug/proposals', '/proposals'],
    requireLogin,
    limits.proposals,
    form({
      fields: [
        'kind', 'title', 'body', 'mode', 'votingDays', 'nominationDays', 'seats', 'termId', 'agreements', 'host', 'stewardId', 'change', 'number', 'text',
        'newSlug', 'newName', 'purpose', 'visibility', 'setting', 'value', 'confirmHours', 'termDays', 'quorumPercent', 'quorumFallback',
      ],
      once: true,
      run: async (f, req) =>
        mod.proposals.propose(member(req), {
          circleSlug: (await newProposalView(req)).circle?.slug,
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
          stewardId: num(f.stewardId),
          change: f.change,
          number: num(f.number),
          text: f.text,
          newSlug: f.newSlug,
          newName: f.newName,
          purpose: f.purpose,
          visibility: f.visibility,
          setting: f.setting,
          value: f.value,
          confirmHours: f.confirmHours,
          termDays: f.termDays,
          quorumPercent: f.quorumPercent,
          quorumFallback: f.quorumFallback,
        }),
      redirect: (p) => `/proposals/${p.id}`,
      form: { view: 'moderation/proposal-new', page: newProposalView },
    }),
  );

  const proposalView = async (req: Request) => {
    const proposalId = idParam(req.params.id);
    if (!proposalId) throw new NotFoundError(msg('governance.error.proposal_not_here'));
    const view = await mod.proposals.view(proposalId, req.user);
    const circle = view.proposal.circleId !== null ? await services.circles.byId(view.proposal.circleId) : null;
    const candidates = view.nominations.filter((n) => n.accepted);
    const totals = view.totals
      ? Object.entries(view.totals).map(([choice, count]) => ({ label: totalLabel(choice, candidates), count }))
      : null;
    return {
      title: view.proposal.title,
      ...view,
      circle,
      candidates,
      totals,
      myNomination: req.user ? view.nominations.find((n) => n.memberId === req.user!.id) : undefined,
      discussion: await mod.proposals.discussion(view.proposal.id),
      canDiscuss: !!req.user && req.user.status === 'active' && (view.proposal.circleId === null || (await mod.safety.isCircleMember(req.user.id, view.proposal.circleId))),
    };
  };
  router.get(
    '/proposals/:id',
    asyncHandler(async (req, res) => {
      const view = await proposalView(req);
      res.render('moderation/proposal', { ...view, values: { choice: view.myBallot?.choice ?? '', reason: view.myBallot?.reason ?? '' } });
    }),
  );
  const proposalId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('governance.error.proposal_not_here'));
    return id;
  };
  router.post(
    '/proposals/:id/vote',
    requireLogin,
    form({
      fields: ['choice', 'reason'],
      run: (f, req) => mod.proposals.vote(member(req), proposalId(req), f.choice, f.reason),
      redirect: (_r, req) => `/proposals/${proposalId(req)}#vote`,
      form: { view: 'moderation/proposal', page: proposalView },
    }),
  );
  // Every proposal's discussion, on its page.
  router.post(
    '/proposals/:id/discussion',
    requireLogin,
    limits.posting,
    form({
      fields: ['comment'],
      once: true,
      run: (f, req) => mod.proposals.discuss(member(req), proposalId(req), f.comment),
      redirect: (_r, req) => `/proposals/${proposalId(req)}#discussion`,
      form: { view: 'moderation/proposal', page: proposalView },
    }),
  );
  router.post(
    '/proposals/:id/nominate',
    requireLogin,
    limits.nominations,
    form({
      fields: ['handle'],
      run: (f, req) => mod.proposals.nominate(member(req), proposalId(req), f.handle),
      redirect: (_r, req) => `/proposals/${proposalId(req)}#nominations`,
      form: { view: 'moderation/proposal', page: proposalView },
    }),
  );
  router.post(
    '/proposals/:id/nomination',
    requireLogin,
    form({
      fields: ['accept'],
      run: (f, req) => mod.proposals.answerNomination(member(req), proposalId(req), f.accept === '1'),
      redirect: (_r, req) => `/proposals/${proposalId(req)}#nominations`,
    }),
  );

  return router;
}
