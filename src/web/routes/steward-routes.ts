import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { msg } from '../../i18n/message.js';
import type { Locale } from '../../i18n/locales.js';
import { translate } from '../../i18n/translate.js';
import { localeOf, tr } from '../i18n.js';
import { REGISTRATION_MODES } from '../../domain/instance/instance.js';
import { LIMITS } from '../../domain/limits.js';
import { zoneGroups } from '../../domain/time-zones.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { member, requireSteward } from '../guards.js';
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
    title: msg('governance.settings.title'),
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
        values: { name: instance.name, description: instance.description, registrationMode: instance.registrationMode, timeZone: instance.timeZone, language: instance.language },
        saved: req.query.saved === '1',
      });
    }),
  );

  // Every POST empties the visitors' page cache (page-cache.ts), so visitors
  // see times in a newly chosen zone at once.
  router.post(
    '/steward/settings',
    form({
      fields: ['name', 'description', 'registrationMode', 'timeZone', 'language'],
      run: (f, req) => services.instance.updateSettings(member(req), f),
      redirect: () => '/steward?saved=1',
      form: { view: 'steward/settings', page: settingsView },
    }),
  );

  const circleView = { title: msg('governance.circle_new.title'), limits: LIMITS };
  router.get('/steward/circles/new', (_req, res) => {
    res.render('steward/circle-new', { ...circleView, values: { visibility: 'public' } });
  });

  router.post(
    '/steward/circles/new',
    form({
      fields: ['slug', 'name', 'purpose', 'visibility'],
      once: true,
      run: (f, req) => services.circles.create(member(req), f),
      redirect: (circle) => `/c/${circle.slug}`,
      form: { view: 'steward/circle-new', page: () => circleView },
    }),
  );

  const membersPage = async (req: Request) => ({
    title: msg('governance.members.title'),
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

  const pendingId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('governance.error.join_request_not_found'));
    return id;
  };
  router.post(
    '/steward/members/:id/:decision(approve|decline)',
    form({
      fields: [],
      run: (_f, req) => services.members.decide(member(req), pendingId(req), req.params.decision as 'approve' | 'decline'),
      redirect: () => '/steward/members',
    }),
  );

  const invitesView = async (req: Request) => {
    const invites = await services.members.listInvites(member(req));
    return {
      title: msg('governance.invites.title_steward'),
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
    form({
      fields: ['note', 'days'],
      once: true,
      run: (f, req) => services.members.createInvite(member(req), { note: f.note, days: /^\d{1,3}$/.test(f.days) ? Number(f.days) : Number.NaN }),
      redirect: () => '/steward/invites',
      form: { view: 'steward/invites', page: invitesView },
    }),
  );

  router.get(
    '/steward/health',
    asyncHandler(async (req, res) => {
      const report = await services.health.report(member(req));
      const retried = typeof req.query.retried === 'string' && /^\d{1,6}$/.test(req.query.retried) ? Number(req.query.retried) : undefined;
      const host = typeof req.query.host === 'string' && req.query.host.length <= 260 ? req.query.host : undefined;
      const locale = localeOf(res);
      res.render('steward/health', {
        title: msg('governance.health.title'),
        report: { ...report, inbox: { ...report.inbox, refused: report.inbox.refused.map((r) => ({ ...r, reason: refusalWords(res, r.reason) })) } },
        databaseSize: readableBytes(report.databaseBytes, locale),
        lastBackupSize: report.lastBackup ? readableBytes(report.lastBackup.bytes, locale) : undefined,
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

/** 1536 → "1.5 KB" (for people: 1 KB = 1024 bytes), in the reader's language ("1,5 KB"). */
export function readableBytes(n: number, locale: Locale = 'en'): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return translate(locale, 'governance.health.bytes', { n: value });
  return translate(locale, 'governance.health.size', { n: value, unit: units[unit]! });
}

/** The inbox's reasons for turning an activity away (fixed English words, also /metrics labels), for people. */
const REFUSAL_WORDS = {
  'malformed activity': 'governance.health.refusal.malformed',
  'signature check failed': 'governance.health.refusal.signature',
  'blocked server or wrong author': 'governance.health.refusal.blocked',
  'no such recipient': 'governance.health.refusal.no_recipient',
  'too large': 'governance.health.refusal.too_large',
  'not an activity': 'governance.health.refusal.not_activity',
  'too many key fetches': 'governance.health.refusal.key_fetches',
  'error on this server': 'governance.health.refusal.our_error',
} as const;

function refusalWords(res: Response, reason: string): string {
  return Object.prototype.hasOwnProperty.call(REFUSAL_WORDS, reason) ? tr(res, REFUSAL_WORDS[reason as keyof typeof REFUSAL_WORDS]) : reason;
}
