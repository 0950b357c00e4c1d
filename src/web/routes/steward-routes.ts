import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { REGISTRATION_MODES } from '../../domain/instance/instance.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../../http/async-handler.js';
import { formFields } from '../form-input.js';
import { idParam } from '../../http/params.js';
import { member, requireSteward } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';
import { resetLinkFor } from '../../domain/members/reset-link.js';

/** What stewards (the people hosting the instance) look after. */
declare module 'express-session' {
  interface SessionData {
    /** A reset link just made, shown once on the members page. */
    issuedReset?: { handle: string; link: string; expiresAt: string };
  }
}


export function stewardRoutes({ services, publicUrl, form }: RouteContext): Router {
  const router = Router();
  router.use('/steward', requireSteward);

  const settingsView = async () => ({
    title: 'Instance settings',
    modes: REGISTRATION_MODES,
    limits: LIMITS,
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
        values: { name: instance.name, description: instance.description, registrationMode: instance.registrationMode },
        saved: req.query.saved === '1',
      });
    }),
  );

  router.post(
    '/steward/settings',
    asyncHandler(async (req, res) => {
      try {
        const f = formFields(req, ['name', 'description', 'registrationMode'] as const);
        await services.instance.updateSettings(member(req), f);
        res.redirect(303, '/steward?saved=1');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'steward/settings', problem, await settingsView());
      }
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

  const membersPage = async (req: Request) => ({
    title: 'Members: joining and password resets',
    pending: await services.members.listPending(member(req)),
  });

  router.get(
    '/steward/members',
    asyncHandler(async (req, res) => {
      // A reset link is shown once, then only its log entry remains.
      const issued = req.session.issuedReset;
      if (issued) {
        delete req.session.issuedReset;
        res.setHeader('Cache-Control', 'private, no-store');
      }
      res.render('steward/members', { ...(await membersPage(req)), issued, values: {} });
    }),
  );

  router.post(
    '/steward/members/reset-link',
    form({
      fields: ['handle'],
      run: async (f, req) => {
        const issued = await services.passwords.issueBySteward(member(req), f.handle);
        req.session.issuedReset = { handle: issued.member.handle, link: resetLinkFor(publicUrl, issued.token), expiresAt: issued.expiresAt.toISOString() };
      },
      redirect: () => '/steward/members#reset-link',
      form: { view: 'steward/members', page: membersPage },
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

  router.get(
    '/steward/health',
    asyncHandler(async (req, res) => {
      const report = await services.health.report(member(req));
      const retried = typeof req.query.retried === 'string' && /^\d{1,6}$/.test(req.query.retried) ? Number(req.query.retried) : undefined;
      const host = typeof req.query.host === 'string' && req.query.host.length <= 260 ? req.query.host : undefined;
      res.render('steward/health', {
        title: 'Health',
        report,
        databaseSize: readableBytes(report.databaseBytes),
        lastBackupSize: report.lastBackup ? readableBytes(report.lastBackup.bytes) : undefined,
        backupsOff: report.lastBackup === undefined,
        retried: retried !== undefined && host ? { count: retried, host } : undefined,
      });
    }),
  );

  router.post(
    '/steward/health/retry',
    form({
      fields: ['host'],
      run: async (f, req) => ({ host: f.host, count: await services.health.retryServer(member(req), f.host) }),
      redirect: (r) => `/steward/health?retried=${r.count}&host=${encodeURIComponent(r.host)}#servers`,
    }),
  );
  return router;
}

/** 1536 → "1.5 KB" (for people: 1 KB = 1024 bytes). */
export function readableBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
