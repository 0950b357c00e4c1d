import { Router, type Request, type Response } from 'express';
import { LIMITS } from '../../domain/limits.js';
import { RECOVERY_CODE_COUNT } from '../../domain/members/password-resets.js';
import { asyncHandler } from '../../http/async-handler.js';
import { member, requireLogin } from '../guards.js';
import { checkNotPaused, mismatchOn } from './auth-routes.js';
import type { RouteContext } from './route-context.js';
import { msg } from '../../i18n/message.js';

declare module 'express-session' {
  interface SessionData {
    /** New recovery codes, kept only until the page showing them once is opened. */
    recoveryCodes?: string[];
  }
}

const noStore = (res: Response) => res.setHeader('Cache-Control', 'private, no-store');

/** A member's password and recovery codes (/settings/password). */
export function accountRoutes({ services, loginThrottle, form }: RouteContext): Router {
  const router = Router();

  const passwordPage = async (req: Request) => ({
    title: msg('accounts.password.title'),
    limits: LIMITS,
    codeCount: RECOVERY_CODE_COUNT,
    codesLeft: await services.passwords.recoveryCodesLeft(member(req)),
    changed: req.query.changed === '1',
  });

  router.get(
    '/settings/password',
    requireLogin,
    asyncHandler(async (req, res) => {
      noStore(res);
      res.render('settings-password', { ...(await passwordPage(req)), values: {} });
    }),
  );

  router.post(
    '/settings/password',
    requireLogin,
    form({
      fields: ['currentPassword', 'password'],
      run: async (f, req) => {
        const me = member(req);
        // A wrong current password counts like a wrong password at login.
        await checkNotPaused(loginThrottle, req, me.handle);
        try {
          await services.passwords.changePassword(me, f, req.sessionID);
        } catch (error) {
          if (mismatchOn(error, 'currentPassword')) await loginThrottle.failed(req, me.handle);
          throw error;
        }
      },
      redirect: () => '/settings/password?changed=1',
      form: { view: 'settings-password', page: passwordPage },
    }),
  );

  router.post(
    '/settings/recovery-codes',
    requireLogin,
    form({
      fields: [],
      run: async (_f, req) => {
        req.session.recoveryCodes = await services.passwords.newRecoveryCodes(member(req));
      },
      redirect: () => '/settings/recovery-codes',
      form: { view: 'settings-password', page: passwordPage },
    }),
  );

  // The codes are shown once: taken out of the session as the page is made.
  router.get('/settings/recovery-codes', requireLogin, (req, res) => {
    const codes = req.session.recoveryCodes;
    if (!codes) return res.redirect(303, '/settings/password');
    delete req.session.recoveryCodes;
    noStore(res);
    res.render('recovery-codes', { title: msg('accounts.codes.title'), codes });
  });

  return router;
}
