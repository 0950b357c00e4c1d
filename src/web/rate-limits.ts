import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { writtenText } from './typed-text.js';
import { localeOf } from './i18n.js';
import { msg, type MessageRef } from '../i18n/message.js';

export interface RateLimit {
  windowMs: number;
  limit: number;
}

export interface RateLimitSettings {
  /** Passwords (or recovery codes) that did not match, per handle, from anywhere. */
  login: RateLimit;
  /** Passwords (or recovery codes) that did not match, per address, across all handles. */
  loginAddress: RateLimit;
  registration: RateLimit;
  posting: RateLimit;
  /** New proposals (each one opens a public log entry). */
  proposals: RateLimit;
  nominations: RateLimit;
  /** Blocking and unblocking members. */
  blocks: RateLimit;
  /** Saving one's profile, preferences and privacy choices. */
  profile: RateLimit;
  /** "Forgot my password" requests (each may send a mail), per address. */
  passwordMail: RateLimit;
  /** Searches (/search with words), per member or, for visitors, per address. */
  search: RateLimit;
}

const MINUTE = 60_000;

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  login: { windowMs: 15 * MINUTE, limit: 10 },
  loginAddress: { windowMs: 15 * MINUTE, limit: 50 },
  registration: { windowMs: 60 * MINUTE, limit: 5 },
  posting: { windowMs: 10 * MINUTE, limit: 20 },
  proposals: { windowMs: 60 * MINUTE, limit: 5 },
  nominations: { windowMs: 60 * MINUTE, limit: 10 },
  blocks: { windowMs: 60 * MINUTE, limit: 30 },
  profile: { windowMs: 10 * MINUTE, limit: 20 },
  passwordMail: { windowMs: 60 * MINUTE, limit: 10 },
  search: { windowMs: MINUTE, limit: 30 },
};

/** The same limit for everything (benchmarks and tests that are not about limits). */
export function sameLimitEverywhere(limit: RateLimit): RateLimitSettings {
  const keys = Object.keys(DEFAULT_RATE_LIMITS) as Array<keyof RateLimitSettings>;
  return Object.fromEntries(keys.map((k) => [k, limit])) as Record<keyof RateLimitSettings, RateLimit>;
}

export const byIp = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');
const byMember = (req: Request): string => (req.user ? `member:${req.user.id}` : byIp(req));

/**
 * One limiter: counts every request it sees, per key, in the database (so
 * limits hold across processes and restarts), and past the limit shows the
 * calm "short pause" page with what the person wrote.
 */
function limiter(stores: CounterStores, name: string, settings: RateLimit, what: MessageRef, key: (req: Request) => string): RequestHandler {
  return rateLimit({
    windowMs: settings.windowMs,
    limit: settings.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    store: stores(name),
    keyGenerator: key,
    handler(req, res) {
      // express-rate-limit puts its count on the request (its types do not declare it).
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const minutes = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + settings.windowMs) - Date.now()) / MINUTE));
      res.status(429).render('slow-down', {
        title: msg('accounts.slow_down.title'),
        what,
        minutes,
        typed: writtenText(req, localeOf(res)),
      });
    },
  });
}

export interface RateLimiters {
  /** Forms that ask for the member's password again (e.g. deleting the account): every attempt counts. */
  passwordCheck: RequestHandler;
  registration: RequestHandler;
  posting: RequestHandler;
  proposals: RequestHandler;
  nominations: RequestHandler;
  blocks: RequestHandler;
  profile: RequestHandler;
  passwordMail: RequestHandler;
  search: RequestHandler;
}

/**
 * Where counters are kept, by limiter name (and window, where the limiter
 * does not tell the store itself): the composition root passes the database's
 * store, so limits hold across processes and restarts.
 */
export type CounterStores = (name: string, windowMs?: number) => Store & Required<Pick<Store, 'get'>>;

export function rateLimiters(db: CounterStores, settings: RateLimitSettings): RateLimiters {
  return {
    passwordCheck: limiter(db, 'password-check', settings.login, msg('accounts.slow_down.what.password_checks'), byMember),
    registration: limiter(db, 'registration', settings.registration, msg('accounts.slow_down.what.registration'), byIp),
    posting: limiter(db, 'posting', settings.posting, msg('accounts.slow_down.what.posting'), byMember),
    proposals: limiter(db, 'proposals', settings.proposals, msg('accounts.slow_down.what.proposals'), byMember),
    nominations: limiter(db, 'nominations', settings.nominations, msg('accounts.slow_down.what.nominations'), byMember),
    blocks: limiter(db, 'blocks', settings.blocks, msg('accounts.slow_down.what.blocks'), byMember),
    profile: limiter(db, 'profile', settings.profile, msg('accounts.slow_down.what.profile'), byMember),
    passwordMail: limiter(db, 'password-mail', settings.passwordMail, msg('accounts.slow_down.what.password_mail'), byIp),
    search: limiter(db, 'search', settings.search, msg('accounts.slow_down.what.search'), byMember),
  };
}

/**
 * Login limits count only what failed: passwords (or recovery codes) that did
 * not match. Per handle (whether or not the handle exists, so a pause says
 * nothing about which handles do) and per address (across all handles). A
 * correct password gets through however many people logged in from the same
 * address, unless that handle's own failures, or the address's, reached
 * their limit within the window.
 */
export class LoginThrottle {
  private readonly account: ReturnType<CounterStores>;
  private readonly address: ReturnType<CounterStores>;

  constructor(
    stores: CounterStores,
    private readonly settings: Pick<RateLimitSettings, 'login' | 'loginAddress'>,
  ) {
    this.account = stores('login-account', settings.login.windowMs);
    this.address = stores('login-address', settings.loginAddress.windowMs);
  }

  /** When attempts for this handle from this request may start again, if they are paused now. */
  async pausedUntil(req: Request, handle: string): Promise<Date | undefined> {
    const [account, address] = await Promise.all([this.account.get(accountKey(handle)), this.address.get(byIp(req))]);
    const until: Date[] = [];
    if (account && account.totalHits >= this.settings.login.limit && account.resetTime) until.push(account.resetTime);
    if (address && address.totalHits >= this.settings.loginAddress.limit && address.resetTime) until.push(address.resetTime);
    return until.length ? new Date(Math.max(...until.map((d) => d.getTime()))) : undefined;
  }

  /** A password or code that did not match. */
  async failed(req: Request, handle: string): Promise<void> {
    await Promise.all([this.account.increment(accountKey(handle)), this.address.increment(byIp(req))]);
  }

  /** The right password: the handle's own count starts again (the address's does not). */
  async succeeded(handle: string): Promise<void> {
    await this.account.resetKey(accountKey(handle));
  }
}

/** Handles are at most 30 characters; whatever else is typed is cut short, so keys stay small. */
const accountKey = (handle: string) => handle.slice(0, 64);

/** How many minutes (at least one) until a pause ending at `until` is over: the messages say "in about 12 minutes". */
export function waitMinutes(until: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
}
