import { Router, type NextFunction, type Request, type Response } from 'express';
import { LIMITS } from '../../domain/limits.js';
import type { Member } from '../../domain/members/member.js';
import { asyncHandler } from '../../http/async-handler.js';
import { LOGIN_MESSAGES } from '../auth.js';
import { formFields, typedValues } from '../form-input.js';
import { safeNextPath } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

/** Logging in and out, and joining the instance under its registration mode. */
export function authRoutes({ services, passport, limits }: RouteContext): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    res.render('login', { title: 'Log in', values: {}, next: safeNextPath(req.query.next) });
  });

  router.post('/login', limits.login, (req: Request, res: Response, next: NextFunction) => {
    const nextPath = safeNextPath((req.body as Record<string, unknown>).next);
    passport.authenticate('local', (error: unknown, member: Member | false, info?: { message?: string }) => {
      if (error) return next(error);
      if (!member) {
        const reason = (info?.message ?? 'wrong_password') as keyof typeof LOGIN_MESSAGES;
        const message = LOGIN_MESSAGES[reason] ?? LOGIN_MESSAGES.wrong_password;
        return res.status(401).render('login', {
          title: 'Log in',
          values: typedValues(req),
          next: nextPath,
          errorSummary: { message, list: [] },
        });
      }
      req.login(member, (loginError) => (loginError ? next(loginError) : res.redirect(303, nextPath)));
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.redirect(303, '/'));
    });
  });

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
