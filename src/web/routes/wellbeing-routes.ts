import { Router, type Request, type RequestHandler } from 'express';
import { PLAN_SECTIONS } from '../../domain/wellbeing/support-plan.js';
import { renderMarkdown } from '../../content/render-pool.js';
import { asyncHandler } from '../../http/async-handler.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { msg } from '../../i18n/message.js';

const PLAN_FIELDS = PLAN_SECTIONS.map((s) => s.field);
/** The zones offered in the form's suggestion list (computed once). */
const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const BREAK_FIELDS = ['quietFrom', 'quietTo', 'timeZone', 'dailyMinutes', 'lockUntil'] as const;

function hhmm(minutes: number | null): string {
  if (minutes === null) return '';
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "What helps me" (private, shared only with members the author names) and breaks members set for themselves. */
export function wellbeingRoutes({ services, form }: RouteContext): Router {
  const router = Router();
  const w = services.wellbeing;
  // Never cached anywhere but the member's own browser.
  const privatePage: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  };

  const planView = async (req: Request) => {
    const mine = await w.myPlan(member(req));
    return { title: msg('accounts.plan.title'), sections: PLAN_SECTIONS, ...mine };
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

  const planPage = async (req: Request) => {
    const view = await planView(req);
    return { ...view, values: view.plan ? Object.fromEntries(PLAN_FIELDS.map((k) => [k, view.plan![k]])) : {} };
  };

  router.post(
    '/settings/what-helps-me',
    privatePage,
    requireLogin,
    form({
      fields: PLAN_FIELDS,
      run: (f, req) => w.savePlan(member(req), f),
      redirect: () => '/settings/what-helps-me?saved=1',
      form: { view: 'what-helps-me-edit', page: planView },
    }),
  );

  router.post(
    '/settings/what-helps-me/shares',
    privatePage,
    requireLogin,
    form({
      fields: ['shareHandle', 'remove'],
      run: (f, req) => (f.remove === '1' ? w.unshare(member(req), f.shareHandle) : w.share(member(req), f.shareHandle)),
      redirect: () => '/settings/what-helps-me#sharing',
      // The plan's own fields show what is saved; only the handle typed here comes back.
      form: { view: 'what-helps-me-edit', page: planPage },
    }),
  );

  router.get(
    '/u/:handle/what-helps-me',
    privatePage,
    asyncHandler(async (req, res) => {
      // A plan never federates: ActivityPub requests get the same "not here" as anyone not named.
      const accept = req.get('accept') ?? '';
      const { owner, plan } = await w.readPlan(/activity\+json|ld\+json/.test(accept) ? undefined : req.user, req.params.handle!);
      const sections = (await Promise.all(PLAN_SECTIONS.map(async (s) => ({ label: s.label, html: plan[s.field] ? await renderMarkdown(plan[s.field]) : '' })))).filter((s) => s.html);
      res.render('what-helps-me', {
        title: msg('accounts.plan.title_of', { name: owner.displayName || owner.handle }),
        owner,
        plan,
        sections,
        mine: owner.id === req.user!.id,
      });
    }),
  );

  const breakView = async (req: Request) => {
    const { settings, locked } = await w.breakSettings(member(req));
    return { title: msg('accounts.break_settings.title'), settings, locked, zones: TIME_ZONES, saved: req.query.saved === '1' };
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
    form({
      fields: BREAK_FIELDS,
      run: (f, req) => w.saveBreak(member(req), f),
      redirect: () => '/settings/break?saved=1',
      form: { view: 'break-settings', page: breakView },
    }),
  );

  return router;
}
