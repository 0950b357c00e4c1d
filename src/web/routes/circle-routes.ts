import { Router, type Request } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { LIMITS } from '../../domain/limits.js';
import { asyncHandler } from '../../http/async-handler.js';
import { pageNumber } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { meetingView } from '../../domain/meetings/meeting-words.js';
import type { RouteContext } from './route-context.js';
import { formPage } from '../form-route.js';
import { pageKeys } from '../page-cache.js';
import { localeOf } from '../i18n.js';
import { wordsHoldFor } from '../view-helpers.js';
import { msg } from '../../i18n/message.js';
import { threadRowKey } from '../page-fragments.js';
import { oncePerRequest } from '../request-memo.js';
import type { Services } from '../../services.js';

/** The circle at /c/:slug as this request's viewer may see it, looked up once per request (its watch form and its page both ask). */
export function circleAt(services: Services, req: Request) {
  return oncePerRequest(req, `circle:${req.params.slug}`, () => services.circles.get(req.params.slug!, req.user));
}

/** A circle's page (its threads) and starting a new thread in it. */
export function circleRoutes({ services, limits, form, fragments }: RouteContext): Router {
  const router = Router();

  const agreementsFor = async (circleId: number) => (await services.moderation.governance.agreements(circleId)).current;

  router.get(
    '/c/:slug',
    asyncHandler(async (req, res) => {
      const page = pageNumber(req);
      if (!page) throw new NotFoundError(msg('circles.error.no_page_of_threads'));
      const circle = await circleAt(services, req).catch(async (error: unknown) => {
        // A member of the instance who is not (yet) in a members-only circle
        // sees only its name and purpose, and may ask to join.
        if (!(error instanceof NotFoundError) || !req.user) throw error;
        const asked = await services.circles.forJoining(req.params.slug!, req.user);
        if (asked.visibility === 'public') throw error;
        return { askToJoin: asked };
      });
      if ('askToJoin' in circle) {
        const waiting = await services.moderation.safety.hasAskedToJoin(req.user!.id, circle.askToJoin.id);
        return res.render('circle-join', { title: circle.askToJoin.name, circle: circle.askToJoin, waiting });
      }
      // Taken before reading: a change made meanwhile moves it, and the rows read now are not kept for later readers.
      const circleVersion = fragments?.cache.version(`circle:${circle.id}`);
      const threads = await services.threads.listThreads(circle, page, req.user);
      const now = services.threads.now();
      // A member's page: each thread's row is rendered once for every member who sees it alike (fragment-cache.ts).
      const locale = localeOf(res);
      const zone = String(res.locals.viewerTimeZone);
      if (req.user && circleVersion !== undefined) {
        for (const row of threads.items) Object.assign(row, { fragmentKey: threadRowKey(row, { circleVersion, locale, zone, now }) });
      }
      const [meetings, resources, agreements] = await Promise.all([
        services.meetings.upcomingIn(circle, 3),
        services.circleResources.list(circle),
        agreementsFor(circle.id),
      ]);
      pageKeys(res, `circle:${circle.id}`);
      const view = {
        title: circle.name,
        circle,
        threads,
        now,
        canMarkRead: threads.items.some((t) => t.unread),
        basePath: `/c/${circle.slug}`,
        meetings: meetings.map((u) => meetingView(u, 1, zone, locale)),
        resources,
        agreements,
        // Calendar apps never log in: only public circles have a feed.
        feed: circle.visibility === 'public',
        canKeep: await services.meetings.canManage(req.user, circle),
      };
      // Kept for this member's next visit for as long as its "last active" words hold.
      if (req.user && fragments) await fragments.send(res, 'circle', view, { holdsForMs: Math.min(...threads.items.map((row) => wordsHoldFor(row.lastActivityAt, now))) });
      else res.render('circle', view);
    }),
  );

  // "Mark this circle read": every thread in it, up to its last post.
  router.post(
    '/c/:slug/read',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => services.threads.markCircleRead(member(req), req.params.slug!),
      redirect: (circle) => `/c/${circle.slug}`,
    }),
  );

  const newThreadPage = async (req: Request) => {
    const circle = await services.circles.get(req.params.slug!, req.user);
    return { title: msg('circles.thread_new.title', { circle: circle.name }), circle, limits: LIMITS, agreements: await agreementsFor(circle.id) };
  };

  router.get(
    '/c/:slug/new',
    requireLogin,
    formPage('thread-new', newThreadPage),
  );

  router.post(
    '/c/:slug/new',
    requireLogin,
    limits.posting,
    form({
      fields: ['title', 'body', 'contentWarning', 'language'],
      once: true,
      run: (f, req) => services.threads.startThread(member(req), req.params.slug!, f),
      redirect: ({ thread }, req) => `/c/${req.params.slug!}/t/${thread.id}`,
      form: { view: 'thread-new', page: newThreadPage },
    }),
  );
  return router;
}
