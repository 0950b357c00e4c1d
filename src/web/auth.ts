import type { Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { MemberService } from '../domain/members/member-service.js';
import type { Member } from '../domain/members/member.js';
import { msg } from '../i18n/message.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // The logged-in member: passport puts it on req.user.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Member {}
  }
}

/** Why a login did not succeed, in words a person can act on. */
export const LOGIN_MESSAGES = {
  wrong_password: msg('accounts.error.login_mismatch'),
  pending: msg('accounts.error.login_pending'),
  suspended: msg('accounts.error.login_suspended'),
} as const;

/** Passport with the local (handle + password) strategy; sessions keep only the member id. */
export function configurePassport(members: MemberService): passport.PassportStatic {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: 'handle', passwordField: 'password' }, (handle, password, done) => {
      members.authenticate(handle, password).then(
        (result) => (result.ok ? done(null, result.member) : done(null, false, { message: result.reason })),
        (error: unknown) => done(error),
      );
    }),
  );
  instance.serializeUser((user, done) => done(null, (user as Member).id));
  instance.deserializeUser((id: unknown, done) => {
    if (typeof id !== 'number') return done(null, false);
    members.findById(id).then(
      // A member who was suspended or removed is logged out on their next request.
      (member) => done(null, member && member.status === 'active' ? member : false),
      (error: unknown) => done(error),
    );
  });
  return instance as unknown as passport.PassportStatic;
}

export function currentMember(req: Request): Member | undefined {
  return req.user ?? undefined;
}
