import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchroniser-token CSRF protection: the token lives in the session and every
 * form sends it back as `_csrf`. Every POST is checked.
 */
export function csrfProtection(): { protect: RequestHandler; token: (req: Request) => string } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    size: 32,
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined);
    },
  });
  return { protect: csrfSynchronisedProtection, token: (req) => generateToken(req) };
}
