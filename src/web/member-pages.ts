import type { RequestHandler, Response } from 'express';
import { unsign } from 'cookie-signature';
import { LRUCache } from 'lru-cache';
import type { ReaderStamp } from '../storage/session-store.js';
import type { ChangeClock } from './page-cache.js';

/**
 * A member's own pages, kept briefly so that going back to a thread or a
 * circle (Back, a reload, the circle as a hub between threads) is answered
 * without reading and rendering it again. Only pages a route offers
 * (`MemberPages.keep`: the thread and circle pages) are kept, each for the
 * one session that saw it, never for anyone else.
 *
 * A kept page is sent again only while all of these hold:
 * - the session still exists and belongs to the same member (one statement,
 *   which also reads the session for express-session when the page is not sent);
 * - the member's reader version is unchanged: it moves, in the database
 *   (migration 0038), with anything only they see (their notifications,
 *   blocks either way, belonging, watching, reading, their own posts and
 *   reactions, their settings), whichever process or worker made the change;
 * - nothing the page shows for everyone changed since it was rendered (the
 *   page cache's change clock, which other processes move through NOTIFY);
 * - the member has no break set (the break page decides about every request);
 * - its words still hold ("3 hours ago" changes as time passes) and it is
 *   younger than `ttlMs`;
 * - the request is not a hard reload (`Cache-Control: no-cache`).
 * Otherwise the page is rendered as usual. Pages are kept in memory only,
 * as the bytes sent; the browser is still told `private, no-store`. Like
 * visitors' pages from the page cache, a page sent again is not access-logged.
 */
export interface MemberPages {
  /** Before the session: answers from a kept page, or notes what a page rendered now may be kept under. */
  middleware: RequestHandler;
  /**
   * A page just rendered for a member, offered for keeping: for at most
   * `holdsForMs` when its words change with time; `ownRows`: rows only this
   * member sees that the request itself wrote (each moves their version by
   * one, migration 0038), so the page is kept under the version they make.
   */
  keep(res: Response, body: Buffer, options?: KeepOptions): void;
  readonly size: number;
}

export interface KeepOptions {
  holdsForMs?: number;
  ownRows?: number;
}

export interface MemberPagesOptions {
  /** The addresses of the pages that may be kept (the thread and circle pages): no other request is looked at. */
  paths: RegExp;
  sessionCookie: string;
  sessionSecret: string;
  stamps: {
    /** The session's member and reader version (and the session read ahead for express-session). */
    readerStamp(sid: string): Promise<ReaderStamp | undefined>;
    /** The session was not needed after all (its page was sent from memory). */
    dropReadAhead(sid: string): void;
  };
  clock: ChangeClock;
  ttlMs: number;
  maxBytes: number;
  now?: () => number;
}

interface Kept {
  body: Buffer;
  memberId: number;
  version: string;
  /** The change clock when the page's reading began. */
  since: number;
  keys: readonly string[];
  /** ms since the epoch: the page's words stop holding. */
  until: number;
  /** What the page was said to vary by, said again. */
  vary: string;
}

/** Noted on a request whose page may be kept: who reads it, and from when. */
interface Pending {
  key: string;
  memberId: number;
  version: string;
  since: number;
}

const PENDING = 'memberPage';
/** `res.locals` key: whether the session's member set a break, when the stamp was read (see break-page.ts). */
export const BREAK_SET = 'breakSet';

function wantsPage(accept: string | undefined): boolean {
  return !/application\/(activity\+json|ld\+json|json)/i.test(accept ?? '*/*');
}

export function createMemberPages(options: MemberPagesOptions): MemberPages {
  const now = options.now ?? Date.now;
  const pages = new LRUCache<string, Kept>({
    maxSize: options.maxBytes,
    sizeCalculation: (kept, key) => Math.max(1, kept.body.length + key.length),
    ttl: options.ttlMs,
  });
  const cookiePattern = new RegExp(`(?:^|;\\s*)${options.sessionCookie}=([^;]*)`);

  const sessionId = (cookieHeader: string | undefined): string | undefined => {
    const raw = cookiePattern.exec(cookieHeader ?? '')?.[1];
    if (!raw) return undefined;
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch (error) {
      if (error instanceof URIError) return undefined;
      throw error;
    }
    if (!value.startsWith('s:')) return undefined;
    const sid = unsign(value.slice(2), options.sessionSecret);
    return sid === false ? undefined : sid;
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || !options.paths.test(req.path) || !wantsPage(req.headers.accept)) return next();
    const sid = sessionId(req.headers.cookie);
    if (!sid) return next();
    // Everything else the page may depend on: its address, and the language the browser asks for.
    const key = `${sid}\n${req.originalUrl}\n${req.headers['accept-language'] ?? ''}\n${req.headers.cookie ?? ''}`;
    const since = options.clock.now();
    options.stamps.readerStamp(sid).then(
      (stamp) => {
        if (!stamp || stamp.memberId === null) return next();
        // Told to the break page (break-page.ts): without a break set, nothing to ask.
        res.locals[BREAK_SET] = stamp.breakSet;
        if (stamp.breakSet) return next();
        const kept = /no-cache/i.test(String(req.headers['cache-control'] ?? '')) ? undefined : pages.get(key);
        if (
          kept &&
          kept.memberId === stamp.memberId &&
          kept.version === stamp.version &&
          kept.until > now() &&
          !options.clock.changedSince(kept.since, kept.keys)
        ) {
          options.stamps.dropReadAhead(sid);
          res.setHeader('X-Hearth-Cache', 'hit');
          res.setHeader('Cache-Control', 'private, no-store');
          if (kept.vary) res.setHeader('Vary', kept.vary);
          res.status(200).type('html').setHeader('Content-Length', kept.body.length);
          res.end(kept.body);
          return;
        }
        if (kept) pages.delete(key);
        res.locals[PENDING] = { key, memberId: stamp.memberId, version: stamp.version, since } satisfies Pending;
        next();
      },
      (error: unknown) => next(error),
    );
  };

  return {
    middleware,
    keep(res, body, { holdsForMs, ownRows = 0 } = {}) {
      const pending = res.locals[PENDING] as Pending | undefined;
      const reader = res.req.user;
      const keys = (res.locals.pageKeys as readonly string[] | undefined) ?? [];
      // A page that names nothing it shows could never be known to have changed.
      if (!pending || !reader || reader.id !== pending.memberId || keys.length === 0 || res.statusCode !== 200) return;
      if (options.clock.changedSince(pending.since, keys)) return;
      const expires = now() + Math.min(holdsForMs ?? Infinity, options.ttlMs);
      pages.set(pending.key, {
        body,
        memberId: pending.memberId,
        // Any change made by others meanwhile moves it further: the page is then rendered again.
        version: String(BigInt(pending.version) + BigInt(ownRows)),
        since: pending.since,
        keys,
        until: expires,
        vary: String(res.getHeader('Vary') ?? ''),
      });
    },
    get size() {
      return pages.size;
    },
  };
}
