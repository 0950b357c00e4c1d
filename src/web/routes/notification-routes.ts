import { msg } from '../../i18n/message.js';
import { Router, type Request, type RequestHandler } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { CHOOSABLE_KINDS, READ_NOTIFICATIONS_KEPT_DAYS } from '../../domain/notifications/notification-service.js';
import { REMIND_HOURS_BEFORE } from '../../domain/notifications/meeting-reminders.js';
import { WATCH_LABELS, WATCH_LEVELS, type WatchLevel } from '../../domain/notifications/watching.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import type { Services } from '../../services.js';
import { pageNumber } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { notificationWords } from '../notification-words.js';
import type { RouteContext } from './route-context.js';
import { circleAt } from './circle-routes.js';

/**
 * The unread count on every page a logged-in member reads (one indexed
 * query): `res.locals.unreadNotifications`, shown by the navigation.
 */
export function unreadCount(services: Services): RequestHandler {
  return asyncHandler(async (req, res, next) => {
    if (req.user && (req.method === 'GET' || req.method === 'HEAD')) res.locals.unreadNotifications = await services.notifications.unreadCount(req.user.id);
    next();
  });
}

/** The watch form's choices ("Tell me about: …") with the current one checked. */
function watchForm(action: string, level: WatchLevel) {
  return { action, choices: WATCH_LEVELS.map((value) => ({ value, label: WATCH_LABELS[value], checked: value === level })) };
}

/** /notifications, opening and marking items, preferences, and the watch forms of circles and threads. */
export function notificationRoutes({ services, form }: RouteContext): Router {
  const router = Router();
  const n = services.notifications;
  const id = (raw: string | undefined) => {
    const value = idParam(raw);
    if (!value) throw new NotFoundError(msg('staying.notifications.not_here'));
    return value;
  };

  const pageView = async (req: Request) => {
    const page = pageNumber(req);
    if (!page) throw new NotFoundError(msg('staying.notifications.no_such_page'));
    const [list, prefs] = await Promise.all([n.page(member(req), page), n.preferences(member(req))]);
    return {
      title: msg('staying.notifications.title'),
      ...list,
      items: list.items.map((item) => ({ ...item, words: notificationWords(item), unread: item.readAt === null })),
      reactions: prefs.reactions,
      groups: CHOOSABLE_KINDS.map((g) => ({ field: g.field, label: g.label, on: !g.kinds.some((k) => prefs.kindsOff.includes(k)) })),
      keptDays: READ_NOTIFICATIONS_KEPT_DAYS,
      values: {},
    };
  };

  router.get(
    '/notifications',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('notifications', { ...(await pageView(req)), saved: req.query.saved === '1' });
    }),
  );

  // Opening an item marks it read, then leads to what it is about.
  router.get(
    '/notifications/:id/open',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.redirect(303, await n.open(member(req), id(req.params.id)));
    }),
  );

  router.post(
    '/notifications/:id/read',
    requireLogin,
    form({
      fields: ['read'],
      run: (f, req) => n.setRead(member(req), id(req.params.id), f.read !== '0'),
      redirect: (_r, req) => `/notifications${typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? `?page=${req.query.page}` : ''}#notification-${id(req.params.id)}`,
    }),
  );

  router.post(
    '/notifications/read-all',
    requireLogin,
    form({ fields: [], run: (_f, req) => n.markAllRead(member(req)), redirect: () => '/notifications' }),
  );

  router.post(
    '/notifications/preferences',
    requireLogin,
    form({
      fields: ['reactions', ...CHOOSABLE_KINDS.map((g) => g.field)],
      run: (f, req) => n.savePreferences(member(req), { reactions: f.reactions, groups: Object.fromEntries(CHOOSABLE_KINDS.map((g) => [g.field, f[g.field] === 'on'])) }),
      redirect: () => '/notifications?saved=1',
      form: { view: 'notifications', page: pageView },
    }),
  );

  // The watch forms: the thread's and the circle's pages show them (views/partials/watch-form.hbs).
  router.get(
    '/c/:slug/t/:id',
    asyncHandler(async (req, res, next) => {
      const threadId = idParam(req.params.id);
      if (req.user && threadId) res.locals.watch = watchForm(`/c/${req.params.slug}/t/${threadId}/watch`, await n.threadLevel(req.user, threadId));
      next();
    }),
  );
  router.post(
    '/c/:slug/t/:id/watch',
    requireLogin,
    form({
      fields: ['level'],
      run: async (f, req) => {
        const view = await services.threads.view(req.params.slug!, idParam(req.params.id) ?? 0, member(req), 1);
        await n.watchThread(member(req), view.thread.id, f.level);
        return view;
      },
      redirect: (view) => `/c/${view.circle.slug}/t/${view.thread.id}`,
    }),
  );

  router.get(
    '/c/:slug',
    asyncHandler(async (req, res, next) => {
      if (req.user) {
        const circle = await circleAt(services, req).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
        if (circle) res.locals.watch = watchForm(`/c/${circle.slug}/watch`, await n.circleLevel(req.user, { circleId: circle.id }));
      }
      next();
    }),
  );
  router.post(
    '/c/:slug/watch',
    requireLogin,
    form({
      fields: ['level'],
      run: async (f, req) => {
        const circle = await services.circles.get(req.params.slug!, member(req));
        await n.watchCircle(member(req), { circleId: circle.id }, f.level);
        return circle;
      },
      redirect: (circle) => `/c/${circle.slug}`,
    }),
  );

  router.get(
    '/f/:id',
    asyncHandler(async (req, res, next) => {
      const remoteCircleId = idParam(req.params.id);
      if (req.user && remoteCircleId) res.locals.watch = watchForm(`/f/${remoteCircleId}/watch`, await n.circleLevel(req.user, { remoteCircleId }));
      next();
    }),
  );
  router.post(
    '/f/:id/watch',
    requireLogin,
    form({
      fields: ['level'],
      run: async (f, req) => {
        const { circle } = await services.followed.circle(member(req), idParam(req.params.id) ?? 0, 1);
        await n.watchCircle(member(req), { remoteCircleId: circle.id }, f.level);
        return circle;
      },
      redirect: (circle) => `/f/${circle.id}`,
    }),
  );
  // "I'll come": a meeting's page shows the form (views/partials/attend-form.hbs); a reminder comes a day before each date.
  router.get(
    '/c/:slug/meetings/:id',
    asyncHandler(async (req, res, next) => {
      const meetingId = idParam(req.params.id);
      if (req.user && meetingId) {
        res.locals.attend = { action: `/c/${req.params.slug}/meetings/${meetingId}/attend`, coming: await services.meetingReminders.attending(req.user, meetingId), hours: REMIND_HOURS_BEFORE };
      }
      next();
    }),
  );
  router.post(
    '/c/:slug/meetings/:id/attend',
    requireLogin,
    form({
      fields: ['coming'],
      run: (f, req) => services.meetingReminders.attend(member(req), req.params.slug!, idParam(req.params.id) ?? 0, f.coming !== '0'),
      redirect: (r) => `/c/${r.circleSlug}/meetings/${r.meetingId}`,
    }),
  );
  return router;
}
