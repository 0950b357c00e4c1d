import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { writtenText } from './typed-text.js';

export interface RateLimit {
  windowMs: number;
  limit: number;
}

export interface RateLimitSettings {
  login: RateLimit;
  registration: RateLimit;
  posting: RateLimit;
}

const MINUTE = 60_000;

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  login: { windowMs: 15 * MINUTE, limit: 10 },
  registration: { windowMs: 60 * MINUTE, limit: 5 },
  posting: { windowMs: 10 * MINUTE, limit: 20 },
};

/**
 * Counts are kept in this process's memory: one Hearth process per instance
 * is the expected shape. (Several processes would each count separately.)
 */
function limiter(settings: RateLimit, what: string, key: (req: Request) => string): RequestHandler {
  return rateLimit({
    windowMs: settings.windowMs,
    limit: settings.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    handler(req, res) {
      const minutes = Math.ceil(settings.windowMs / MINUTE);
      res.status(429).render('slow-down', {
        title: 'Let’s take a short pause',
        what,
        minutes,
        typed: writtenText(req),
      });
    },
  });
}

const byIp = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

export function rateLimiters(settings: RateLimitSettings) {
  return {
    login: limiter(settings.login, 'logging in', byIp),
    registration: limiter(settings.registration, 'creating accounts', byIp),
    posting: limiter(settings.posting, 'posting', (req) => (req.user ? `member:${req.user.id}` : byIp(req))),
  };
}
