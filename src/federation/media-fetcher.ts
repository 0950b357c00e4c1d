import type { Clock } from '../domain/clock.js';
import type { Database } from '../storage/database.js';
import { findCachedMedia, storeCachedMedia } from '../storage/repositories/media-cache-repository.js';
import { MediaFetchError, mediaCacheKey, type FetchedImage, type MediaFetcher } from '../domain/media.js';
import { RemoteFetchError, remoteRequest, type FetchPolicy } from './safe-fetch.js';

export const MEDIA_MAX_BYTES = 5 * 1024 * 1024;
const CACHE_BOUNDS = { maxEntries: 2000, maxBytes: 200 * 1024 * 1024 };
const CACHE_TTL_MS = 24 * 3_600_000;

/** Image types a browser shows without running anything (no SVG). */
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'];

/** The first bytes of each image type, so a mislabelled file is not served as an image. */
function looksLike(type: string, body: Buffer): boolean {
  const ascii = (from: number, to: number) => body.subarray(from, to).toString('latin1');
  switch (type) {
    case 'image/png':
      return body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/jpeg':
      return body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff;
    case 'image/gif':
      return ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a';
    case 'image/webp':
      return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP';
    case 'image/avif':
      return ascii(4, 8) === 'ftyp';
    default:
      return false;
  }
}

/**
 * Fetches images for the web layer's media proxy through the guarded fetch
 * (https, public addresses only, 10 s, 5 MiB), sending no cookies and no
 * referrer, and keeps them a day in a bounded cache in the database.
 */
export class GuardedMediaFetcher implements MediaFetcher {
  private readonly policy: FetchPolicy;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    policy: Pick<FetchPolicy, 'allowHttp' | 'allowPrivateAddresses'>,
  ) {
    this.policy = { ...policy, timeoutMs: 10_000, maxBytes: MEDIA_MAX_BYTES };
  }

  async fetchImage(url: string): Promise<FetchedImage> {
    const key = mediaCacheKey(url);
    const now = this.clock.now();
    const cached = await findCachedMedia(this.db, key);
    if (cached && now.getTime() - cached.fetchedAt.getTime() < CACHE_TTL_MS) return cached;
    const res = await remoteRequest(url, this.policy, { headers: { Accept: IMAGE_TYPES.join(', '), 'User-Agent': 'Hearth media proxy' } }).catch(
      (error: unknown) => {
        if (!(error instanceof RemoteFetchError)) throw error;
        if (error.problem === 'too_large') throw new MediaFetchError('too_large', error.message);
        if (error.problem === 'timeout' || error.problem === 'network') throw new MediaFetchError('unavailable', error.message);
        throw new MediaFetchError('refused', error.message);
      },
    );
    if (res.status !== 200) throw new MediaFetchError('unavailable', `The image's server answered ${res.status}`);
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMAGE_TYPES.includes(type) || !looksLike(type, res.body)) throw new MediaFetchError('not_image', `Not an image Hearth shows (${type.slice(0, 50) || 'no type'})`);
    const image = { contentType: type, body: res.body };
    await storeCachedMedia(this.db, { urlHash: key, ...image, at: now }, CACHE_BOUNDS);
    return image;
  }
}
