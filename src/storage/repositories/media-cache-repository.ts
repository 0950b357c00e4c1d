import type { Queryable } from '../database.js';

export interface CachedMedia {
  contentType: string;
  body: Buffer;
  fetchedAt: Date;
}

export async function findCachedMedia(q: Queryable, urlHash: string): Promise<CachedMedia | undefined> {
  const rows = await q.query<{ content_type: string; body: Buffer | Uint8Array; fetched_at: Date }>(
    'SELECT content_type, body, fetched_at FROM media_cache WHERE url_hash = $1',
    [urlHash],
  );
  const row = rows[0];
  return row && { contentType: row.content_type, body: Buffer.from(row.body), fetchedAt: row.fetched_at };
}

/**
 * Keeps one image, then trims the cache to its bounds: at most `maxEntries`
 * images and `maxBytes` in all, oldest first out.
 */
export async function storeCachedMedia(
  q: Queryable,
  e: { urlHash: string; contentType: string; body: Buffer; at: Date },
  bounds: { maxEntries: number; maxBytes: number },
): Promise<void> {
  await q.query(
    `INSERT INTO media_cache (url_hash, content_type, body, size, fetched_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (url_hash) DO UPDATE SET content_type = EXCLUDED.content_type, body = EXCLUDED.body, size = EXCLUDED.size, fetched_at = EXCLUDED.fetched_at`,
    [e.urlHash, e.contentType, e.body, e.body.length, e.at],
  );
  await q.query(
    `DELETE FROM media_cache WHERE url_hash IN (
       SELECT url_hash FROM (
         SELECT url_hash, row_number() OVER w AS n, sum(size) OVER w AS total
         FROM media_cache WINDOW w AS (ORDER BY fetched_at DESC, url_hash)
       ) ranked WHERE n > $1 OR total > $2)`,
    [bounds.maxEntries, bounds.maxBytes],
  );
}
