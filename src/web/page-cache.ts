import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';

/**
 * A small cache of whole pages for visitors who are not logged in: the
 * read-mostly traffic of a forum (people arriving from a link, or from a post
 * they saw on Mastodon). Only pages that are the same for every visitor are
 * kept: GET, status 200, HTML, no session cookie sent or set.
 *
 * Any change made through this process (every POST, and every domain event)
 * empties it at once. Changes made by another Hearth process sharing the
 * database reach visitors here within `ttlMs`. A request with
 * `Cache-Control: no-cache` (a hard reload) always renders afresh.
 */
export interface PageCache {
  middleware: RequestHandler;
  invalidate(): void;
  readonly size: number;
}

/** A session that holds anything (a login, a form token) makes the page personal. */
function sessionInUse(session: object | undefined): boolean {
  return !!session && Object.keys(session).some((key) => key !== 'cookie');
}

interface Entry {
  body: string;
  contentType: string;
  etag: string;
}

/** Only browsers' page requests: ActivityPub clients ask for JSON at the same URLs. */
function wantsPage(req: Request): boolean {
  const accept = String(req.headers.accept ?? '*/*');
  return !/application\/(activity\+json|ld\+json|json)/i.test(accept);
}

export function createPageCache(options: { sessionCookie: string; ttlMs: number; maxBytes: number }): PageCache {
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (e) => Math.max(1, e.body.length),
    ttl: options.ttlMs,
  });
  let generation = 0;
  const cookiePattern = new RegExp(`(?:^|;\\s*)${options.sessionCookie}=`);
  const invalidate = () => {
    generation++;
    cache.clear();
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Whatever this request changes, pages rendered before it (or while it
      // was being written) are stale.
      if (req.method !== 'OPTIONS') {
        invalidate();
        res.on('finish', invalidate);
      }
      return next();
    }
    if (cookiePattern.test(req.headers.cookie ?? '') || !wantsPage(req)) return next();
    const key = req.originalUrl;
    const noCache = /no-cache/i.test(String(req.headers['cache-control'] ?? ''));
    const hit = noCache ? undefined : cache.get(key);
    if (hit) {
      res.setHeader('X-Hearth-Cache', 'hit');
      // Set before send(), so Express neither hashes the body again nor misses a 304.
      res.setHeader('ETag', hit.etag);
      res.type(hit.contentType).send(hit.body);
      return;
    }
    const startedAt = generation;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      // res.send() makes string bodies text/html when no type was set yet.
      const type = String(res.getHeader('Content-Type') ?? 'text/html; charset=utf-8');
      if (
        res.statusCode === 200 &&
        typeof body === 'string' &&
        type.startsWith('text/html') &&
        !res.getHeader('Set-Cookie') &&
        !sessionInUse(req.session) &&
        generation === startedAt
      ) {
        const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
        cache.set(key, { body, contentType: type, etag });
      }
      return send(body);
    };
    next();
  };

  return {
    middleware,
    invalidate,
    get size() {
      return cache.size;
    },
  };
}
