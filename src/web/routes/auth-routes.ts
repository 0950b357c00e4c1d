import { Router, type Request, type Response } from 'express';
import { HearthError, RateLimitedError } from '../../domain/errors.js';
import { normalizeHandle } from '../../domain/handles.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../async-handler.js';
import { LOGIN_MESSAGES } from '../auth.js';
import { formFields } from '../form-input.js';
import { safeNextPath } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import { rerenderForm as showFormAgain } from '../form-route.js';
import { waitWords, type LoginThrottle } from '../rate-limits.js';
import type { RouteContext } from './route-context.js';

/** What a paused login (or recovery) says: when to try again, and nothing about the handle. */
export function pausedMessage(until: Date): string {
  return `Logging in here is paused for a while, after several tries that didn’t match. Please try again ${waitWords(until)}. If you have forgotten your password, a recovery code or a steward can help.`;
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
    title: 'Log in',
    next: safeNextPath(req.method === 'GET' ? req.query.next : (req.body as Record<string, unknown> | undefined)?.next),
    recovered: req.query.recovered === '1',
  });

  router.get('/login', (req, res) => {
    res.render('login', { ...loginPage(req), values: {} });
  });

  // Not through form(): a failed login answers 401 (wrong password, or an
  // account not yet welcomed or suspended), which form() has no kind for.
  // Everything else is the same: fields read once, problems shown on the form.
  router.post(
    '/login',
    asyncHandler(async (req, res) => {
      const refuse = (status: number, message: string) =>
        showFormAgain(req, res, 'login', { status, message, fields: {} }, loginPage(req));
      const f = formFields(req, ['handle', 'password', 'next'] as const);
      const handle = normalizeHandle(f.handle);
      const until = await loginThrottle.pausedUntil(req, handle);
      if (until) return refuse(429, pausedMessage(until));
      const result = await services.members.authenticate(handle, f.password);
      if (!result.ok) {
        if (result.reason === 'wrong_password') await loginThrottle.failed(req, handle);
        return refuse(401, LOGIN_MESSAGES[result.reason]);
      }
      await loginThrottle.succeeded(handle);
      await new Promise<void>((resolve, reject) => req.login(result.member, (e: unknown) => (e ? reject(e) : resolve())));
      res.redirect(303, safeNextPath(f.next));
    }),
  );

  router.post('/logout', (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy((destroyError: unknown) => {
        if (destroyError) return next(destroyError);
        // The cookie goes with the same attributes it was set with, and the
        // browser forgets pages it kept from this session.
        res.clearCookie(sessionCookie.name, sessionCookie.options);
        res.setHeader('Clear-Site-Data', '"cache"');
        res.redirect(303, '/');
      });
    });
  });

  // ---- a way back in ------------------------------------------------------------
  const recoverPage = () => ({ title: 'Log in with a recovery code', limits: LIMITS });

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

  const resetPage = () => ({ title: 'Choose a new password', limits: LIMITS });

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
    return { title: 'Join', mode, inviteCode, inviteOk, limits: LIMITS };
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
    asyncHandler(async (req, res, next) => {
      const f = formFields(req, ['handle', 'password', 'email', 'displayName', 'invite'] as const);
      const view = await registerView(f.invite);
      try {
        const member = await services.members.register(
          { handle: f.handle, password: f.password, email: f.email, displayName: f.displayName, inviteCode: f.invite },
          view.mode,
        );
        if (member.status === 'pending') {
          return res.status(202).render('register-pending', { title: 'Your request to join was sent', handle: member.handle });
        }
        req.login(member, (error) => (error ? next(error) : res.redirect(303, '/?welcome=member')));
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'register', problem, view);
      }
    }),
  );
  return router;
}
