import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { staticDir } from '../paths.js';
import type { PostgresSessionStore } from '../storage/session-store.js';
import type { MediaFetcher } from '../domain/media.js';
import { avatarPath, isSteward } from '../domain/members/member.js';
import { DEFAULT_TIME_ZONE } from '../domain/time-zones.js';
import { configurePassport } from './auth.js';
import { csrfProtection } from './csrf.js';
import { fileUpload } from './uploads.js';
import { AVATAR_UPLOAD_BYTES } from '../domain/members/avatars.js';
import { avatarRoutes } from './routes/avatar-routes.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { LoginThrottle, rateLimiters, type CounterStores, type RateLimitSettings } from './rate-limits.js';
import { withoutQuery } from './log-safety.js';
import { proxyPageImages } from './media-proxy.js';
import { navigation } from './navigation.js';
import { authRoutes } from './routes/auth-routes.js';
import { accountRoutes } from './routes/account-routes.js';
import { circleRoutes } from './routes/circle-routes.js';
import { followedRoutes } from './routes/followed-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { mediaRoutes } from './routes/media-routes.js';
import { homeRoutes } from './routes/home-routes.js';
import { leavingRoutes } from './routes/leaving-routes.js';
import { memberRoutes } from './routes/member-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import { stewardRoutes } from './routes/steward-routes.js';
import { moderationRoutes } from './routes/moderation/index.js';
import { instanceGovernanceRoutes } from './routes/instance-governance-routes.js';
import { governanceRoutes } from './routes/governance-routes.js';
import { supportRoutes } from './routes/support-routes.js';
import { threadRoutes } from './routes/thread-routes.js';
import { meetingRoutes } from './routes/meeting-routes.js';
import { circleResourceRoutes } from './routes/circle-resource-routes.js';
import { breakPage } from './break-page.js';
import { wellbeingRoutes } from './routes/wellbeing-routes.js';
import { notificationRoutes, unreadCount } from './routes/notification-routes.js';
import { conversationRoutes } from './routes/conversation-routes.js';
import { checkInRoutes } from './routes/check-in-routes.js';
import { mailRoutes, UNSUBSCRIBE_PATH } from './routes/mail-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { languageRoutes } from './routes/language-routes.js';
import { setPageLanguage } from './i18n.js';
import { securityHeaders } from './security-headers.js';
import type { Services } from '../services.js';
import { useViewEngine } from './view-engine.js';
import { asyncHandler } from '../http/async-handler.js';
import type { PageCache } from './page-cache.js';
import type { FragmentCache } from './fragment-cache.js';
import { createFragmentPages } from './fragment-page.js';
import type { MemberPages } from './member-pages.js';
import { formRoute } from './form-route.js';
import type { RouteContext } from './routes/route-context.js';
import type { InboxTally } from '../domain/health/inbox-tally.js';
import { createMetrics } from './metrics.js';

export interface WebOptions {
  services: Services;
  /** Where rate-limit counters are kept (shared by every Hearth process). */
  counters: CounterStores;
  sessionStore: PostgresSessionStore;
  sessionSecret: string;
  publicUrl: URL;
  trustProxy: number;
  /** /metrics: the inboxes' answers are counted into `inbox`; `token` lets it answer beyond loopback. */
  metrics: { inbox: InboxTally; token: string | undefined };
  rateLimits: RateLimitSettings;
  logger: Logger;
  viewCache: boolean;
  /** Checks the database for /healthz. */
  ping: () => Promise<void>;
  /** Routes mounted before the HTML pages (federation: ActivityPub JSON at the same URLs). */
  beforePages?: RequestHandler[];
  /** Whole pages for visitors who are not logged in. */
  pageCache?: PageCache;
  /** Rendered posts, shared by the readers who see them alike (fragment-cache.ts). */
  fragments?: FragmentCache;
  /** A member's own thread and circle pages, kept briefly for their next visit (member-pages.ts). */
  memberPages?: MemberPages;
  /** Images from other hosts go through Hearth's media proxy (URLs signed with `secret`). */
  media: { secret: string; fetcher: MediaFetcher };
}

export const SESSION_COOKIE = 'hearth.sid';

const THIRTY_DAYS_MS = 30 * 86_400_000;

export function createWebApp(o: WebOptions): Express {
  const app = express();
  const https = o.publicUrl.protocol === 'https:';
  app.disable('x-powered-by');
  app.set('trust proxy', o.trustProxy);
  useViewEngine(app, o.viewCache);
  // Every rendered page: images from other hosts are loaded through Hearth, never by the reader's browser.
  const renderView = app.render.bind(app);
  const ownOrigin = o.publicUrl.origin;
  app.render = ((name: string, options: object, callback: (err: Error | null, html?: string) => void) =>
    renderView(name, options, (err, html) => callback(err, err || html === undefined ? html : proxyPageImages(html, o.media.secret, ownOrigin)))) as typeof app.render;

  const metrics = createMetrics({ health: o.services.health, inbox: o.metrics.inbox, token: o.metrics.token });
  app.use(metrics.requests);
  app.use(securityHeaders(https));
  app.get('/metrics', metrics.route);
  // Pages served to visitors from the cache, and members' kept pages, are not
  // access-logged: cheaper, and Hearth keeps no record of who read what.
  if (o.pageCache) app.use(o.pageCache.middleware);
  // A member's thread or circle page they saw a moment ago, unchanged: sent before the session and everything after it.
  if (o.memberPages) app.use(o.memberPages.middleware);
  app.use(
    pinoHttp({
      logger: o.logger,
      autoLogging: { ignore: (req) => withoutQuery(req.url) === '/healthz' },
      // No addresses, agents or cookies in the logs: only what was asked and how it went.
      // Paths only: query strings can hold invite codes and reset tokens.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: withoutQuery(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use('/static', express.static(staticDir, { maxAge: '1h', fallthrough: false }));
  app.use(healthRoutes(o.ping));
  app.use(metrics.inboxAnswers);
  app.use(mediaRoutes(o.media));
  for (const handler of o.beforePages ?? []) app.use(handler);

  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 50 }));
  app.use(
    session({
      store: o.sessionStore,
      secret: o.sessionSecret,
      name: SESSION_COOKIE,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      proxy: o.trustProxy > 0,
      cookie: { httpOnly: true, sameSite: 'lax', secure: https, path: '/', maxAge: THIRTY_DAYS_MS },
    }),
  );
  const passport = configurePassport(o.services.members);
  app.use(passport.initialize());
  app.use(passport.session());
  // A page shown to someone logged in, or the answer to a form (which may
  // hold what they typed), is theirs alone: never kept by the browser or any
  // cache in between, so Back after logging out on a shared computer shows
  // nothing private. Visitors' public pages stay cacheable.
  app.use((req, res, next) => {
    if (req.user || req.method !== 'GET') res.set('Cache-Control', 'private, no-store');
    next();
  });
  // A picture's upload is a multipart form: read it (and its CSRF token) first.
  app.post('/settings/avatar', fileUpload('avatar', AVATAR_UPLOAD_BYTES));
  const csrf = csrfProtection();
  // The one-click unsubscribe (RFC 8058) is posted by mail programs, without a session or a form token; its signed token is the proof.
  app.use((req, res, next) => (req.method === 'POST' && req.path === UNSUBSCRIBE_PATH && o.services.mail ? next() : csrf.protect(req, res, next)));

  // What every page needs: the instance, the viewer and (for forms) a CSRF token.
  app.use(
    asyncHandler(async (req, res, next) => {
      const instance = await o.services.instance.get();
      const setupPath = req.path === '/setup';
      if (!instance && !setupPath) return res.redirect(303, '/setup');
      res.locals.instance = instance;
      res.locals.viewer = req.user;
      res.locals.viewerIsSteward = isSteward(req.user);
      res.locals.viewerAvatar = req.user ? avatarPath(req.user.handle, req.user.avatarVersion) : null;
      // Mail is shown only where the stewards set it up (SMTP_URL).
      res.locals.mailConfigured = o.services.mail !== undefined;
      // Every date and time on the page is shown in this zone (the dateTime helper):
      // the member's own, or the instance's for visitors and members who chose none.
      // Visitors all share the instance's zone, so cached pages stay right for them.
      res.locals.viewerTimeZone = req.user?.timeZone ?? instance?.timeZone ?? DEFAULT_TIME_ZONE;
      // The page's language: the member's, a visitor's choice, their browser's, else the instance's.
      setPageLanguage(req, res, instance?.language);
      res.locals.pagePath = req.originalUrl;
      // A function, so Handlebars makes the token only when a page has a form:
      // visitors reading pages get no session at all.
      res.locals.csrf = () => csrf.token(req);
      next();
    }),
  );

  // Which navigation link is "you are here" (aria-current), decided once from the path.
  app.use(navigation);
  app.use(breakPage(o.services.wellbeing));
  // The unread count the navigation shows (issue 10): one indexed query per page.
  app.use(unreadCount(o.services));

  const limits = rateLimiters(o.counters, o.rateLimits);
  const context: RouteContext = {
    services: o.services,
    passport,
    limits,
    loginThrottle: new LoginThrottle(o.counters, o.rateLimits),
    sessionCookie: { name: SESSION_COOKIE, options: { httpOnly: true, sameSite: 'lax', secure: https, path: '/' } },
    publicUrl: o.publicUrl,
    form: (spec) => formRoute(o.services.forms, spec),
    ...(o.fragments ? { fragments: createFragmentPages(o.fragments, (html) => proxyPageImages(html, o.media.secret, ownOrigin), o.memberPages) } : {}),
  };
  app.use(languageRoutes(context));
  app.use(setupRoutes(context));
  app.use(authRoutes(context));
  app.use(accountRoutes(context));
  app.use(homeRoutes(context));
  // Before the circle and thread pages: their watch forms (res.locals.watch).
  app.use(notificationRoutes(context));
  app.use(circleRoutes(context));
  app.use(threadRoutes(context));
  app.use(memberRoutes(context));
  app.use(avatarRoutes(context));
  app.use(stewardRoutes(context));
  app.use(followedRoutes(context));
  app.use(supportRoutes(context));
  app.use(moderationRoutes(context));
  app.use(governanceRoutes(context));
  app.use(instanceGovernanceRoutes(context));
  app.use(meetingRoutes(context));
  app.use(circleResourceRoutes(context));
  app.use(leavingRoutes(context));
  app.use(wellbeingRoutes(context));
  app.use(conversationRoutes(context));
  app.use(checkInRoutes(context));
  app.use(mailRoutes(context));
  app.use(searchRoutes(context));

  app.use(notFoundHandler);
  app.use(errorHandler(o.logger));
  return app;
}
