import { LRUCache } from 'lru-cache';
import type { ChangeClock } from './page-cache.js';

/**
 * Rendered pieces of pages that many readers see alike: each post of a
 * thread page as logged-in members see it (visitors' whole pages are kept by
 * the page cache). A piece is kept, ready to send (UTF-8), under a key that
 * names everything it shows: the post's own state (id, state, edit time,
 * content warning, counts, author), what the reader chose or may do (muted
 * words, blocks, own post, may moderate…), the page's language and time zone,
 * and the version of what it belongs to (`version('thread:ID')`), which moves
 * whenever a change names it, here or in another process (the page cache's
 * change clock, NOTIFY included). A key that left something out would show
 * one reader another's piece: `page-fragments.ts` builds them in one place.
 * Pieces under versions that moved on are no longer asked for, and leave
 * with the least used or at `ttlMs`.
 *
 * Nothing of one reader is kept: a piece is stored cut where the reader's
 * CSRF token was, and the current reader's token goes back in when it is sent.
 */
export interface FragmentCache {
  /** Part of a piece's key: moves whenever a change names `key`, or everything. */
  version(key: string): string;
  /** The piece under `key`, as the parts around the reader's token; or undefined. */
  get(key: string): readonly Buffer[] | undefined;
  set(key: string, parts: readonly Buffer[]): void;
  readonly size: number;
}

export function createFragmentCache(options: { maxBytes: number; ttlMs: number; clock: ChangeClock }): FragmentCache {
  const pieces = new LRUCache<string, readonly Buffer[]>({
    maxSize: options.maxBytes,
    sizeCalculation: (parts, key) => Math.max(1, key.length + parts.reduce((sum, part) => sum + part.length, 0)),
    ttl: options.ttlMs,
  });
  return {
    version: (key) => String(options.clock.lastChange(key)),
    get: (key) => pieces.get(key),
    set: (key, parts) => void pieces.set(key, parts),
    get size() {
      return pieces.size;
    },
  };
}
