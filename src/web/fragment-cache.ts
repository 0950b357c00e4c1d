import { LRUCache } from 'lru-cache';

/**
 * Rendered pieces of pages that many readers see alike: each post of a
 * thread page as logged-in members see it (visitors' whole pages are kept by
 * the page cache). A piece is kept, ready to send (UTF-8), under a key that
 * names everything it shows: the post's own state (id, state, edit time,
 * content warning, counts, author), what the reader chose or may do (muted
 * words, blocks, own post, may moderate…), the page's language and time zone,
 * and the version of what it belongs to (`version('thread:ID')`), which moves
 * whenever a change names it, here or in another process (the page cache's
 * invalidations, NOTIFY included). A key that left something out would show
 * one reader another's piece: `post-fragments.ts` builds them in one place.
 *
 * Nothing of one reader is kept: a piece is stored cut where the reader's
 * CSRF token was, and the current reader's token goes back in when it is sent.
 */
export interface FragmentCache {
  /** Part of a piece's key: moves whenever a change names `key`, or everything. */
  version(key: string): string;
  /** A change: pieces of what `keys` name (no keys: of everything) are no longer used. */
  invalidate(keys?: readonly string[]): void;
  /** The piece under `key`, as the parts around the reader's token; or undefined. */
  get(key: string): readonly Buffer[] | undefined;
  set(key: string, parts: readonly Buffer[]): void;
  readonly size: number;
}

export function createFragmentCache(options: { maxBytes: number; ttlMs: number }): FragmentCache {
  const pieces = new LRUCache<string, readonly Buffer[]>({
    maxSize: options.maxBytes,
    sizeCalculation: (parts, key) => Math.max(1, key.length + parts.reduce((sum, part) => sum + part.length, 0)),
    ttl: options.ttlMs,
  });
  // Versions only grow; a key's version is kept for as long as the process runs
  // (one number per thread ever changed, a few bytes each).
  let everything = 0;
  const versions = new Map<string, number>();
  return {
    version: (key) => `${everything}.${versions.get(key) ?? 0}`,
    invalidate(keys) {
      if (!keys) {
        everything++;
        pieces.clear();
        return;
      }
      for (const key of keys) versions.set(key, (versions.get(key) ?? 0) + 1);
    },
    get: (key) => pieces.get(key),
    set: (key, parts) => void pieces.set(key, parts),
    get size() {
      return pieces.size;
    },
  };
}
