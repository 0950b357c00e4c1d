import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { FragmentCache } from './fragment-cache.js';
import type { KeepOptions, MemberPages } from './member-pages.js';

/**
 * A page sent from pieces: what the `{{#cached key}}` helper marks comes
 * from the fragment cache (or is rendered once and kept), the rest is
 * rendered as usual; the page goes out as bytes put together, so the kept
 * pieces are neither rendered, copied into one string nor encoded again.
 * Used for members' pages (visitors' whole pages are in the page cache).
 */
export interface FragmentPages {
  readonly cache: FragmentCache;
  /**
   * Renders `view` with `data`, its marked pieces from the cache, and sends it (200, HTML).
   * `keep`: the page may be kept for this member's next visit (member-pages.ts).
   */
  send(res: Response, view: string, data: object, keep?: KeepOptions): Promise<void>;
}

/** What the page's `{{#cached}}` blocks gave, in order: a kept piece, or one rendered now (with its key). */
export type FragmentSlot = { key: string; kept: readonly Buffer[] } | { key: string; html: string };

/** On the page's root while it renders: where `{{#cached}}` puts its pieces. */
export interface FragmentSlots {
  cache: FragmentCache;
  slots: FragmentSlot[];
}

// Where a piece goes in the rendered text: a mark no text on the page can hold
// (NUL never survives rendering or sanitising, and the process's nonce is secret).
const NONCE = randomBytes(8).toString('hex');
const MARK = new RegExp(`\u0000${NONCE}:(\\d+)\u0000`);

export function fragmentMark(index: number): string {
  return `\u0000${NONCE}:${index}\u0000`;
}

/**
 * `rewrite` is what every rendered page goes through (images through the
 * media proxy); a piece goes through it once, when it is kept.
 */
export function createFragmentPages(cache: FragmentCache, rewrite: (html: string) => string, memberPages?: MemberPages): FragmentPages {
  return {
    cache,
    send: (res, view, data, keep) =>
      new Promise<void>((resolve, reject) => {
        const fragments: FragmentSlots = { cache, slots: [] };
        // The reader's token, cut out of kept pieces and put back when sent.
        const csrf = typeof res.locals.csrf === 'function' ? String((res.locals.csrf as () => unknown)()) : '';
        res.render(view, { ...data, fragments }, (err: Error | null, html?: string) => {
          if (err || html === undefined) {
            reject(err ?? new Error(`${view} rendered nothing`));
            return;
          }
          const token = Buffer.from(csrf);
          const out: Buffer[] = [];
          const parts = html.split(MARK);
          for (let i = 0; i < parts.length; i++) {
            if (i % 2 === 0) {
              if (parts[i]) out.push(Buffer.from(parts[i]!));
              continue;
            }
            const slot = fragments.slots[Number(parts[i])];
            if (!slot) continue;
            let kept: readonly Buffer[];
            if ('kept' in slot) kept = slot.kept;
            else {
              const piece = rewrite(slot.html);
              kept = (csrf ? piece.split(csrf) : [piece]).map((text) => Buffer.from(text));
              cache.set(slot.key, kept);
            }
            kept.forEach((bytes, j) => {
              if (j > 0) out.push(token);
              out.push(bytes);
            });
          }
          const body = Buffer.concat(out);
          // A member's page is never stored anywhere (no ETag to compute).
          res.status(200).type('html').setHeader('Content-Length', body.length);
          if (keep) memberPages?.keep(res, body, keep);
          res.end(body);
          resolve();
        });
      }),
  };
}
