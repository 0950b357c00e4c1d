import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { REGISTRATION_MODES } from '../../domain/instance/instance.js';
import { LIMITS } from '../../domain/limits.js';
import { zoneGroups } from '../../domain/time-zones.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, idParam } from '../form-input.js';
import { member, requireSteward } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

/** What stewards (the people hosting the instance) look after. */
export function stewardRoutes({ services, publicUrl, form }: RouteContext): Router {
  const router = Router();
  router.use('/steward', requireSteward);

  const settingsView = async () => ({
    title: 'Instance settings',
    modes: REGISTRATION_MODES,
    limits: LIMITS,
    zoneGroups: zoneGroups(new Date()),
    pendingCount: 0,
  });

  router.get(
    '/steward',
    asyncHandler(async (req, res) => {
      const instance = (await services.instance.get())!;
      const pending = await services.members.listPending(member(req));
      res.render('steward/settings', {
        ...(await settingsView()),
        pendingCount: pending.length,
        values: { name: instance.name, description: instance.description, registrationMode: instance.registrationMode, timeZone: instance.timeZone },
        saved: req.query.saved === '1',
      });
    }),
  );

  // Every POST empties the visitors' page cache (page-cache.ts), so visitors
  // see times in a newly chosen zone at once.
  router.post(
    '/steward/settings',
    form({
      fields: ['name', 'description', 'registrationMode', 'timeZone'],
      run: (f, req) => services.instance.updateSettings(member(req), f),
      redirect: () => '/steward?saved=1',
      form: { view: 'steward/settings', page: settingsView },
    }),
  );

  const circleView = { title: 'Open a new circle', limits: LIMITS };
  router.get('/steward/circles/new', (_req, res) => {
    res.render('steward/circle-new', { ...circleView, values: { visibility: 'public' } });
  });

  router.post(
    '/steward/circles/new',
    asyncHandler(async (req, res) => {
      try {
        const f = formFields(req, ['slug', 'name', 'purpose', 'visibility'] as const);
        const circle = await services.circles.create(member(req), f);
        res.redirect(303, `/c/${circle.slug}`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'steward/circle-new', problem, circleView);
      }
    }),
  );

  router.get(
    '/steward/members',
    asyncHandler(async (req, res) => {
      const pending = await services.members.listPending(member(req));
      res.render('steward/members', { title: 'People waiting to join', pending });
    }),
  );

  router.post(
    '/steward/members/:id/:decision(approve|decline)',
    asyncHandler(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) throw new NotFoundError('That request to join was not found.');
      await services.members.decide(member(req), id, req.params.decision as 'approve' | 'decline');
      res.redirect(303, '/steward/members');
    }),
  );

  const invitesView = async (req: Request) => {
    const invites = await services.members.listInvites(member(req));
    return {
      title: 'Invite links',
      invites: invites.map((i) => ({ ...i, link: new URL(`/register?invite=${i.code}`, publicUrl).href, used: i.usedAt !== null })),
    };
  };

  router.get(
    '/steward/invites',
    asyncHandler(async (req, res) => {
      res.render('steward/invites', { ...(await invitesView(req)), values: { days: '14' } });
    }),
  );

  router.post(
    '/steward/invites',
    asyncHandler(async (req, res) => {
      try {
        const f = formFields(req, ['note', 'days'] as const);
        const days = /^\d{1,3}$/.test(f.days) ? Number(f.days) : Number.NaN;
        await services.members.createInvite(member(req), { note: f.note, days });
        res.redirect(303, '/steward/invites');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'steward/invites', problem, await invitesView(req));
      }
    }),
  );
  return router;
}
