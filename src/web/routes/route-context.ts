import type { CookieOptions, RequestHandler } from 'express';
import type passport from 'passport';
import type { FormRoute } from '../form-route.js';
import type { LoginThrottle, RateLimiters } from '../rate-limits.js';
import type { Services } from '../../services.js';
import type { FragmentPages } from '../fragment-page.js';

/** What route modules receive from the composition of the web app. */
export interface RouteContext {
  services: Services;
  publicUrl: URL;
  passport: passport.PassportStatic;
  limits: RateLimiters;
  /** Counts passwords and recovery codes that did not match, per handle and per address. */
  loginThrottle: LoginThrottle;
  /** The session cookie's name and attributes (to clear it on logout). */
  sessionCookie: { name: string; options: CookieOptions };
  /** The one way to handle a posted form (see `form-route.ts`). */
  form<K extends string, R>(spec: FormRoute<K, R>): RequestHandler;
  /** Members' pages sent from pieces many readers see alike (posts); absent: everything is rendered each time. */
  fragments?: FragmentPages;
}
