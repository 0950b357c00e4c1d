import { Router, type Request, type RequestHandler } from 'express';
import { PLAN_SECTIONS } from '../../domain/wellbeing/support-plan.js';
import { renderMarkdown } from '../../content/markdown.js';
import { asyncHandler } from '../async-handler.js';
import { formFields } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

const PLAN_FIELDS = PLAN_SECTIONS.map((s) => s.field);
/** The zones offered in the form's suggestion list (computed once). */
const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const BREAK_FIELDS = ['quietFrom', 'quietTo', 'timeZone', 'dailyMinutes', 'lockUntil'] as const;

function hhmm(minutes: number | null): string {
  if (minutes === null) return '';
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "What helps me" (private, shared only with members the author names) and breaks members set for themselves. */
export function wellbeingRoutes({ services }: RouteContext): Router {
  const router = Router();
  const w = services.wellbeing;
  // Never cached anywhere but the member's own browser.
  const privatePage: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  };

  const planView = async (req: Request) => {
    const mine = await w.myPlan(member(req));
    return { title: 'What helps me', sections: PLAN_SECTIONS, ...mine };
  };

  router.get(
    '/settings/what-helps-me',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      const view = { ...(await planView(req)), saved: req.query.saved === '1' };
      const values = view.plan ? Object.fromEntries(PLAN_FIELDS.map((f) => [f, view.plan![f]])) : {};
      res.render('what-helps-me-edit', { ...view, values });
    }),
  );

  router.post(
    '/settings/what-helps-me',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      try {
        await w.savePlan(member(req), formFields(req, PLAN_FIELDS));
        res.redirect(303, '/settings/what-helps-me?saved=1');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'what-helps-me-edit', problem, await planView(req));
      }
    }),
  );

  router.post(
    '/settings/what-helps-me/shares',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['shareHandle', 'remove'] as const);
      try {
        if (f.remove === '1') await w.unshare(member(req), f.shareHandle);
        else await w.share(member(req), f.shareHandle);
        res.redirect(303, '/settings/what-helps-me#sharing');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        const view = await planView(req);
        const values = { ...(view.plan ? Object.fromEntries(PLAN_FIELDS.map((k) => [k, view.plan![k]])) : {}), shareHandle: f.shareHandle };
        rerenderForm(req, res, 'what-helps-me-edit', problem, { ...view, values });
      }
    }),
  );

  router.get(
    '/u/:handle/what-helps-me',
    privatePage,
    asyncHandler(async (req, res) => {
      // A plan never federates: ActivityPub requests get the same "not here" as anyone not named.
      const accept = req.get('accept') ?? '';
      const { owner, plan } = await w.readPlan(/activity\+json|ld\+json/.test(accept) ? undefined : req.user, req.params.handle!);
      const sections = PLAN_SECTIONS.map((s) => ({ label: s.label, html: plan[s.field] ? renderMarkdown(plan[s.field]) : '' })).filter((s) => s.html);
      res.render('what-helps-me', { title: `What helps ${owner.displayName || owner.handle}`, owner, plan, sections, mine: owner.id === req.user!.id });
    }),
  );

  const breakView = async (req: Request) => {
    const { settings, locked } = await w.breakSettings(member(req));
    return { title: 'Take a break', settings, locked, zones: TIME_ZONES, saved: req.query.saved === '1' };
  };

  router.get(
    '/settings/break',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      const view = await breakView(req);
      const s = view.settings;
      res.render('break-settings', {
        ...view,
        values: s
          ? { quietFrom: hhmm(s.quietFrom), quietTo: hhmm(s.quietTo), timeZone: s.timeZone, dailyMinutes: s.dailyMinutes === null ? '' : String(s.dailyMinutes), lockUntil: '' }
          : { timeZone: String(res.locals.viewerTimeZone ?? 'UTC') },
      });
    }),
  );

  router.post(
    '/settings/break',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      try {
        await w.saveBreak(member(req), formFields(req, BREAK_FIELDS));
        res.redirect(303, '/settings/break?saved=1');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'break-settings', problem, await breakView(req));
      }
    }),
  );

  return router;
}
