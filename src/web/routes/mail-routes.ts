import { Router, type Request, type Response } from 'express';
import { LIMITS } from '../../domain/limits.js';
import { mailChoiceField, type MailService } from '../../domain/mail/mail-service.js';
import { MAIL_CADENCES } from '../../domain/mail/mail.js';
import { NOTIFICATION_KINDS } from '../../domain/notifications/notification.js';
import { asyncHandler } from '../../http/async-handler.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { msg, type MessageRef } from '../../i18n/message.js';

const CADENCE_LABELS: Record<(typeof MAIL_CADENCES)[number], MessageRef> = {
  none: msg('accounts.mail.cadence.none'),
  now: msg('accounts.mail.cadence.now'),
  daily: msg('accounts.mail.cadence.daily'),
  weekly: msg('accounts.mail.cadence.weekly'),
};

const CHOICE_FIELDS = [...NOTIFICATION_KINDS.map(mailChoiceField), 'includePrivateText'];

/** The path of the one-click unsubscribe (RFC 8058): its POST needs no session and no CSRF token. */
export const UNSUBSCRIBE_PATH = '/mail/unsubscribe';

const noStore = (res: Response) => res.setHeader('Cache-Control', 'private, no-store');
const tokenOf = (req: Request) => (typeof req.query.token === 'string' ? req.query.token.slice(0, 300) : '');

/**
 * E-mail, when the stewards set it up (SMTP_URL): a member's address and what
 * reaches them (`/settings/mail`), the address's verification link,
 * unsubscribing, and "forgot my password". Without mail none of these exist.
 */
export function mailRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  const configured = services.mail;
  if (!configured) return router;
  const mail: MailService = configured;

  const settingsPage = async (req: Request) => {
    const settings = await mail.settingsFor(member(req));
    const values: Record<string, string> = { address: settings.address, includePrivateText: settings.includePrivateText ? 'on' : '' };
    const groups = settings.groups.map((g) => ({
      title: g.title,
      kinds: g.kinds.map((k) => {
        values[mailChoiceField(k.kind)] = k.cadence;
        return {
          ...k,
          field: mailChoiceField(k.kind),
          options: MAIL_CADENCES.map((c) => ({ value: c, label: CADENCE_LABELS[c], selected: c === k.cadence })),
        };
      }),
    }));
    return {
      title: msg('accounts.mail.title'),
      limits: LIMITS,
      settings,
      groups,
      values,
    };
  };

  router.get(
    '/settings/mail',
    requireLogin,
    asyncHandler(async (req, res) => {
      const q = req.query;
      res.render('settings-mail', { ...(await settingsPage(req)), sent: q.sent === '1', saved: q.saved === '1', restarted: q.restarted === '1' });
    }),
  );

  router.post(
    '/settings/mail/address',
    requireLogin,
    limits.profile,
    form({
      fields: ['address'],
      run: (f, req) => mail.setAddress(member(req), f.address),
      redirect: () => '/settings/mail?sent=1',
      form: { view: 'settings-mail', page: settingsPage },
    }),
  );

  router.post(
    '/settings/mail/choices',
    requireLogin,
    limits.profile,
    form({
      fields: CHOICE_FIELDS,
      run: (f, req) => mail.saveChoices(member(req), f, f.includePrivateText === 'on'),
      redirect: () => '/settings/mail?saved=1',
      form: { view: 'settings-mail', page: settingsPage },
    }),
  );

  router.post(
    '/settings/mail/restart',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => mail.restart(member(req)),
      redirect: () => '/settings/mail?restarted=1',
    }),
  );

  router.get(
    '/mail/verify',
    asyncHandler(async (req, res) => {
      noStore(res);
      res.setHeader('Referrer-Policy', 'no-referrer');
      const ok = await mail.verify(tokenOf(req).slice(0, 100));
      res.status(ok ? 200 : 410).render('mail-verified', { title: ok ? msg('accounts.verified.title_ok') : msg('accounts.verified.title_gone'), ok });
    }),
  );

  router.get(
    UNSUBSCRIBE_PATH,
    asyncHandler(async (req, res) => {
      noStore(res);
      res.setHeader('Referrer-Policy', 'no-referrer');
      const token = tokenOf(req);
      const view = mail.describeUnsubscribe(token);
      res.render('mail-unsubscribe', { title: msg('accounts.unsubscribe.title'), token, ...view });
    }),
  );

  // One click (RFC 8058): mail programs POST "List-Unsubscribe=One-Click" here, without cookies or a form token.
  router.post(
    UNSUBSCRIBE_PATH,
    form({
      fields: [],
      run: (_f, req) => mail.unsubscribe(tokenOf(req)),
      respond: (what, _req, res) => res.render('mail-unsubscribe', { title: msg('accounts.unsubscribe.stopped'), done: true, what }),
    }),
  );

  // ---- forgot my password ------------------------------------------------------
  const forgotPage = () => ({ title: msg('accounts.forgot.title') });

  router.get('/login/forgot', (_req, res) => {
    noStore(res);
    res.render('login-forgot', { ...forgotPage(), values: {} });
  });

  router.post(
    '/login/forgot',
    limits.passwordMail,
    form({
      fields: ['handle'],
      run: async (f) => {
        // The same answer whatever the handle: the mail (if any) is sent after answering.
        mail.requestPasswordReset(f.handle.slice(0, 100));
      },
      redirect: () => '/login/forgot/sent',
      form: { view: 'login-forgot', page: forgotPage },
    }),
  );

  router.get('/login/forgot/sent', (_req, res) => {
    noStore(res);
    res.render('login-forgot', { ...forgotPage(), sent: true, values: {} });
  });

  return router;
}
