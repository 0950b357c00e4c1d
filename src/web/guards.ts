import { msg } from '../i18n/message.js';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, NotSignedInError } from '../domain/errors.js';
import { isSteward, type Member } from '../domain/members/member.js';

/** Only paths on this site may be redirected to after logging in. */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  return raw.length > 500 ? '/' : raw;
}

/** Pages for members: visitors are sent to log in, then brought back. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  next(new NotSignedInError(msg('common.error.session_ended')));
};

export const requireSteward: RequestHandler = (req, _res, next) => {
  if (!req.user) return requireLogin(req, _res, next);
  if (!isSteward(req.user)) return next(new ForbiddenError(msg('common.error.stewards_only')));
  next();
};

/** The logged-in member, after requireLogin. */
export function member(req: Request): Member {
  if (!req.user) throw new NotSignedInError();
  return req.user;
}
