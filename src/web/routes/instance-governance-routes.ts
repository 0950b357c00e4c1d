import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { msg } from '../../i18n/message.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';

/**
 * The instance as its members govern it (issue 12): the stewards and how they
 * are chosen, the instance's rules, the welcome team deciding requests to
 * join, and invite links made by members when the instance allows it.
 */
export function instanceGovernanceRoutes({ services, publicUrl, form }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;

  router.get(
    '/stewards',
    asyncHandler(async (req, res) => {
      const overview = await mod.instance.overview();
      const proposals = (await mod.proposals.list(null)).filter((p) => ['nominating', 'open'].includes(p.status));
      res.render('instance/stewards', {
        title: msg('governance.stewards.title'),
        ...overview,
        welcomeTeamNames: overview.welcomeTeam.map((h) => `@${h}`).join(', '),
        proposals,
        onWelcomeTeam: await mod.instance.onWelcomeTeam(req.user),
        mayInvite: await services.members.mayInvite(req.user),
      });
    }),
  );

  // ---- the welcome team ---------------------------------------------------------
  const welcomeView = async (req: Request) => {
    const decides = await services.members.decidesJoins(req.user);
    return {
      title: msg('governance.welcome.title'),
      decides,
      onTeam: await mod.instance.onWelcomeTeam(req.user),
      rules: await mod.instance.rules(),
      pending: decides ? await services.members.listPending(member(req)) : [],
    };
  };
  router.get(
    '/welcome',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('instance/welcome', { ...(await welcomeView(req)), saved: req.query.saved === '1' });
    }),
  );
  router.post(
    '/welcome/team',
    requireLogin,
    form({
      fields: ['join'],
      run: (f, req) => mod.instance.setWelcomeVolunteer(member(req), f.join === 'yes'),
      redirect: () => '/welcome?saved=1',
    }),
  );
  const pendingId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('governance.error.join_request_not_found'));
    return id;
  };
  router.post(
    '/welcome/:id/:decision(approve|decline)',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => services.members.decide(member(req), pendingId(req), req.params.decision as 'approve' | 'decline'),
      redirect: () => '/welcome',
    }),
  );

  // ---- invite links made by members (when the instance allows it) --------------------
  const invitesView = async (req: Request) => {
    const invites = await services.members.listInvites(member(req));
    return {
      title: msg('governance.invites.title_member'),
      invites: invites.map((i) => ({ ...i, link: new URL(`/register?invite=${i.code}`, publicUrl).href, used: i.usedAt !== null })),
    };
  };
  router.get(
    '/invites',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('instance/invites', { ...(await invitesView(req)), values: { days: '14' } });
    }),
  );
  router.post(
    '/invites',
    requireLogin,
    form({
      fields: ['note', 'days'],
      once: true,
      run: (f, req) => services.members.createInvite(member(req), { note: f.note, days: /^\d{1,3}$/.test(f.days) ? Number(f.days) : Number.NaN }),
      redirect: () => '/invites',
      form: { view: 'instance/invites', page: invitesView },
    }),
  );

  return router;
}
