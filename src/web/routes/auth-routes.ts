import { Router, type Request, type Response } from 'express';
import { HearthError, NotSignedInError, RateLimitedError } from '../../domain/errors.js';
import { normalizeHandle } from '../../domain/handles.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../../http/async-handler.js';
import { LOGIN_MESSAGES } from '../auth.js';
import { safeNextPath } from '../guards.js';
import { logInAndGo, logOutAndGo } from '../session-login.js';
import { waitMinutes, type LoginThrottle } from '../rate-limits.js';
import type { RouteContext } from './route-context.js';
import { msg, type MessageRef } from '../../i18n/message.js';

/** What a paused login (or recovery) says: when to try again, and nothing about the handle. */
export function pausedMessage(until: Date, now = new Date()): MessageRef {
  return msg('accounts.error.login_paused', { minutes: waitMinutes(until, now) });
}

/** Refuses with a calm message when the handle's (or the address's) failures reached their limit. */
export async function checkNotPaused(throttle: LoginThrottle, req: Request, handle: string): Promise<void> {
  const until = await throttle.pausedUntil(req, handle);
  if (until) throw new RateLimitedError(pausedMessage(until));
}

/** Whether an error is a "did not match" on the given field (which counts towards the pause). */
export function mismatchOn(error: unknown, field: string): boolean {
  return error instanceof HearthError && error.kind === 'validation' && field in error.fields;
}

const noStore = (res: Response) => res.setHeader('Cache-Control', 'private, no-store');

/** Logging in and out, joining the instance under its registration mode, and finding a way back in. */
export function authRoutes({ services, limits, loginThrottle, sessionCookie, form }: RouteContext): Router {
  const router = Router();

  const loginPage = (req: Request) => ({
    title: msg('accounts.login.title'),
    next: safeNextPath(req.method === 'GET' ? req.query.next : (req.body as Record<string, unknown> | undefined)?.next),
    recovered: req.query.recovered === '1',
  });

  router.get('/login', (req, res) => {
    res.render('login', { ...loginPage(req), values: {} });
  });

  router.post(
    '/login',
    form({
      fields: ['handle', 'password', 'next'],
      run: async (f, req) => {
        const handle = normalizeHandle(f.handle);
        await checkNotPaused(loginThrottle, req, handle);
        const result = await services.members.authenticate(handle, f.password);
        if (!result.ok) {
          if (result.reason === 'wrong_password') await loginThrottle.failed(req, handle);
          // 401, shown on the login form with the handle kept.
          throw new NotSignedInError(LOGIN_MESSAGES[result.reason]);
        }
        await loginThrottle.succeeded(handle);
        return result.member;
      },
      respond: (m, req, res) => logInAndGo(req, res, m, safeNextPath((req.body as Record<string, unknown>).next)),
      form: { view: 'login', page: loginPage },
    }),
  );

  router.post(
    '/logout',
    form({
      fields: [],
      run: async () => undefined,
      respond: async (_r, req, res) => {
        // The cookie goes with the same attributes it was set with, and the
        // browser forgets pages it kept from this session.
        res.clearCookie(sessionCookie.name, sessionCookie.options);
        res.setHeader('Clear-Site-Data', '"cache"');
        await logOutAndGo(req, res, '/');
      },
    }),
  );

  // ---- a way back in ------------------------------------------------------------
  const recoverPage = () => ({ title: msg('accounts.recover.title'), limits: LIMITS });

  router.get('/login/recover', (_req, res) => {
    noStore(res);
    res.render('login-recover', { ...recoverPage(), values: {} });
  });

  router.post(
    '/login/recover',
    form({
      fields: ['handle', 'code', 'password'],
      run: async (f, req) => {
        const handle = normalizeHandle(f.handle);
        await checkNotPaused(loginThrottle, req, handle);
        try {
          return await services.passwords.recoverWithCode({ handle, code: f.code, password: f.password });
        } catch (error) {
          if (mismatchOn(error, 'code')) await loginThrottle.failed(req, handle);
          throw error;
        }
      },
      redirect: () => '/login?recovered=1',
      form: { view: 'login-recover', page: recoverPage },
    }),
  );

  const resetPage = () => ({ title: msg('accounts.reset.title'), limits: LIMITS });

  router.get(
    '/login/reset',
    asyncHandler(async (req, res) => {
      noStore(res);
      res.setHeader('Referrer-Policy', 'no-referrer');
      const token = typeof req.query.token === 'string' ? req.query.token.slice(0, 100) : '';
      const usable = await services.passwords.resetLinkUsable(token);
      res.status(usable ? 200 : 410).render('login-reset', { ...resetPage(), usable, values: { token } });
    }),
  );

  router.post(
    '/login/reset',
    form({
      fields: ['token', 'password'],
      run: (f) => services.passwords.resetWithLink({ token: f.token, password: f.password }),
      redirect: () => '/login?recovered=1',
      form: { view: 'login-reset', page: () => ({ ...resetPage(), usable: true }) },
    }),
  );

  // ---- joining ----------------------------------------------------------------
  const registerView = async (inviteCode: string) => {
    const instance = await services.instance.get();
    const mode = instance?.registrationMode ?? 'open';
    const inviteOk = inviteCode !== '' && (await services.members.isInviteUsable(inviteCode));
    return { title: msg('accounts.register.title'), mode, inviteCode, inviteOk, limits: LIMITS };
  };

  router.get(
    '/register',
    asyncHandler(async (req, res) => {
      if (req.user) return res.redirect(303, '/');
      const invite = typeof req.query.invite === 'string' ? req.query.invite.slice(0, 100) : '';
      res.render('register', { ...(await registerView(invite)), values: {} });
    }),
  );

  router.post(
    '/register',
    limits.registration,
    form({
      fields: ['handle', 'password', 'email', 'displayName', 'invite'],
      run: async (f) =>
        services.members.register(
          { handle: f.handle, password: f.password, email: f.email, displayName: f.displayName, inviteCode: f.invite },
          (await registerView(f.invite)).mode,
        ),
      respond: async (m, req, res) => {
        if (m.status === 'pending') return res.status(202).render('register-pending', { title: msg('accounts.pending.title'), handle: m.handle });
        await logInAndGo(req, res, m, '/?welcome=member');
      },
      form: { view: 'register', page: (req) => registerView(typeof req.body?.invite === 'string' ? (req.body.invite as string).slice(0, 100) : '') },
    }),
  );
  return router;
}
