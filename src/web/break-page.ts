import type { RequestHandler } from 'express';
import type { WellbeingService } from '../domain/wellbeing/wellbeing-service.js';
import { msg } from '../i18n/message.js';
import { BREAK_SET } from './member-pages.js';

/** Pages that stay reachable during a break: someone to talk to, logging out, and the break settings themselves. */
const ALWAYS_OPEN = [/^\/support$/, /^\/logout$/, /^\/settings\/break$/, /^\/mail\/(unsubscribe|verify)$/];

/**
 * When a member is on a break they set for themselves (quiet hours or their
 * daily limit), Hearth shows a gentle page instead of the forum. Visitors,
 * ActivityPub requests and /healthz never reach this (they are answered
 * earlier); the member stays logged in.
 */
export function breakPage(wellbeing: WellbeingService): RequestHandler {
  return (req, res, next) => {
    const viewer = req.user;
    if (!viewer || viewer.status !== 'active' || ALWAYS_OPEN.some((p) => p.test(req.path))) return next();
    // This request's session was read with whether its member set a break (member-pages.ts): none, nothing to check.
    if (res.locals[BREAK_SET] === false) return next();
    wellbeing
      .checkBreak(viewer)
      .then((state) => {
        if (!state.onBreak) return next();
        res.set('Cache-Control', 'private, no-store');
        res.status(200).render('break', {
          title: msg('accounts.break.title'),
          // The date is put into words by the page, in the member's zone and language.
          lead: msg(state.reason === 'quiet_hours' ? 'accounts.break.quiet_hours' : 'accounts.break.daily_limit', { until: state.until }),
          locked: state.locked === true,
        });
      })
      .catch(next);
  };
}
