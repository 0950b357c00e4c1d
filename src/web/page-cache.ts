import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';

/**
 * Counts changes (a number, not a time), here and heard from other processes:
 * what was read after `now()` is stale once `changedSince` says so. Shared by
 * the caches that follow the same changes (visitors' pages, pieces of
 * members' pages, members' kept pages).
 */
export interface ChangeClock {
  now(): number;
  /** When what `key` names last changed, or everything did: a version that moves with every such change. */
  lastChange(key: string): number;
  /** Whether anything `keys` name changed, or everything did, after `since`. */
  changedSince(since: number, keys: readonly string[]): boolean;
}

/**
 * A small cache of whole pages for visitors who are not logged in: the
 * read-mostly traffic of a forum (people arriving from a link, or from a post
 * they saw on Mastodon). Only pages that are the same for every visitor are
 * kept: GET, status 200, HTML, no session cookie sent or set.
 *
 * Pages are dropped by key, only after a change succeeded:
 * - a route names what its page shows with `pageKeys(res, ...)` (a thread
 *   page `thread:ID`, a circle page `circle:ID`); pages that name nothing
 *   (home, lists, member pages) are "general";
 * - `changed(keys)` (called for every domain event, which carries its circle
 *   and thread) drops the pages with one of those keys, and every general page;
 * - a non-GET request that succeeds (status < 400) without a domain event
 *   having named what it changed (a profile, a circle's settings) drops
 *   everything; refused requests (4xx, 5xx) drop nothing, and neither does
 *   federation's inbox traffic by itself (what it changes visibly comes as
 *   domain events).
 * Other Hearth processes sharing the database hear of every change through
 * `publish` (PostgreSQL NOTIFY) and call `invalidate`. `ttlMs` is a backstop.
 * A request with `Cache-Control: no-cache` (a hard reload) always renders afresh.
 */
export interface PageCache {
  middleware: RequestHandler;
  /** The changes this cache heard, for other caches that follow them (members' pages). */
  readonly clock: ChangeClock;
  /** A change made here: drops pages locally and tells the other processes. No keys: everything. */
  changed(keys?: readonly string[]): void;
  /** A change heard from another process: drops pages locally only. No keys: everything. */
  invalidate(keys?: readonly string[]): void;
  readonly size: number;
}

export interface PageCacheOptions {
  sessionCookie: string;
  ttlMs: number;
  maxBytes: number;
  /** Tells the other processes (NOTIFY); `undefined` keys mean everything. */
  publish?: (keys: readonly string[] | undefined) => void;
  /** Non-GET paths whose success alone changes nothing visible (federation inboxes). */
  quietPaths?: RegExp;
  /** What else a visitor's page depends on besides its address (the language it is in): part of the key. */
  variant?: (req: Request) => string;
}

/** Names what a page shows, so that it is dropped only when that changes. */
export function pageKeys(res: Response, ...keys: string[]): void {
  res.locals.pageKeys = keys;
}

/**
 * A page never kept, for anyone (search results: one page per query would
 * fill the cache with what one visitor asked once).
 */
export function uncachedPage(res: Response): void {
  res.locals.uncachedPage = true;
}

/** A session that holds anything (a login, a form token) makes the page personal. */
function sessionInUse(session: object | undefined): boolean {
  return !!session && Object.keys(session).some((key) => key !== 'cookie');
}

interface Entry {
  /** Kept as the bytes sent (UTF-8): a hit is not encoded again. */
  body: Buffer;
  contentType: string;
  etag: string;
  /** Empty: a general page. */
  keys: readonly string[];
}

/** Only browsers' page requests: ActivityPub clients ask for JSON at the same URLs. */
function wantsPage(req: Request): boolean {
  const accept = String(req.headers.accept ?? '*/*');
  return !/application\/(activity\+json|ld\+json|json)/i.test(accept);
}

/** What a changing request did so far. */
interface ChangeScope {
  named: boolean;
}

const KEY_MEMORY = 20_000;

export function createPageCache(options: PageCacheOptions): PageCache {
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (e) => Math.max(1, e.body.length),
    ttl: options.ttlMs,
  });
  // When pages were last dropped (a counter, not a time): a page rendered
  // while its content changed is not kept.
  let generation = 0;
  let everythingAt = 0;
  let anythingAt = 0;
  // A key forgotten to keep this bounded counts as changed when the newest forgotten one did.
  let forgottenAt = 0;
  const keyAt = new LRUCache<string, number>({
    max: KEY_MEMORY,
    dispose: (at, _key, reason) => {
      if (reason === 'evict') forgottenAt = Math.max(forgottenAt, at);
    },
  });
  const lastChange = (key: string) => Math.max(everythingAt, keyAt.get(key) ?? forgottenAt);
  const scopes = new AsyncLocalStorage<ChangeScope>();
  const cookiePattern = new RegExp(`(?:^|;\\s*)${options.sessionCookie}=`);

  const invalidate = (keys?: readonly string[]) => {
    generation++;
    anythingAt = generation;
    if (!keys) {
      everythingAt = generation;
      cache.clear();
      return;
    }
    for (const key of keys) keyAt.set(key, generation);
    const wanted = new Set(keys);
    const stale: string[] = [];
    cache.forEach((entry, url) => {
      if (entry.keys.length === 0 || entry.keys.some((k) => wanted.has(k))) stale.push(url);
    });
    for (const url of stale) cache.delete(url);
  };

  const changed = (keys?: readonly string[]) => {
    const scope = scopes.getStore();
    if (scope && keys) scope.named = true;
    invalidate(keys);
    options.publish?.(keys);
  };

  const staleSince = (startedAt: number, keys: readonly string[]) => (keys.length === 0 ? anythingAt > startedAt : keys.some((k) => lastChange(k) > startedAt));

  const middleware: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (req.method === 'OPTIONS') return next();
      const scope: ChangeScope = { named: false };
      const quiet = options.quietPaths?.test(req.path) ?? false;
      res.on('finish', () => {
        // A refused request changed nothing; a named change was handled by its events.
        if (res.statusCode < 400 && !scope.named && !quiet) changed();
      });
      return scopes.run(scope, next);
    }
    if (cookiePattern.test(req.headers.cookie ?? '') || !wantsPage(req)) return next();
    const url = options.variant ? `${options.variant(req)} ${req.originalUrl}` : req.originalUrl;
    const noCache = /no-cache/i.test(String(req.headers['cache-control'] ?? ''));
    const hit = noCache ? undefined : cache.get(url);
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
      const keys = (res.locals.pageKeys as readonly string[] | undefined) ?? [];
      if (
        res.statusCode === 200 &&
        res.locals.uncachedPage !== true &&
        typeof body === 'string' &&
        type.startsWith('text/html') &&
        !res.getHeader('Set-Cookie') &&
        // A page that says it must not be stored (one reached through a secret link) is not kept either.
        !/no-store/i.test(String(res.getHeader('Cache-Control') ?? '')) &&
        !sessionInUse(req.session) &&
        !staleSince(startedAt, keys)
      ) {
        const bytes = Buffer.from(body);
        const etag = `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
        cache.set(url, { body: bytes, contentType: type, etag, keys });
      }
      return send(body);
    };
    next();
  };

  return {
    middleware,
    clock: { now: () => generation, lastChange, changedSince: staleSince },
    changed,
    invalidate,
    get size() {
      return cache.size;
    },
  };
}
