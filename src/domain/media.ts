import { createHash } from 'node:crypto';

/** Why an image could not be served through Hearth. */
export type MediaProblem = 'refused' | 'not_image' | 'too_large' | 'unavailable';

export class MediaFetchError extends Error {
  constructor(
    readonly problem: MediaProblem,
    message: string,
  ) {
    super(message);
    this.name = 'MediaFetchError';
  }
}

export interface FetchedImage {
  contentType: string;
  body: Buffer;
}

/**
 * The web layer's port to fetch an image from another server (implemented by
 * federation with the guarded fetch and a bounded cache): refuses private
 * addresses, anything over 5 MiB, anything that is not an image, and gives
 * up after 10 s. Sends no cookies and no referrer.
 */
export interface MediaFetcher {
  fetchImage(url: string): Promise<FetchedImage>;
}

/** The cache's key for an image URL. */
export function mediaCacheKey(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}
