import { Router } from 'express';
import { asyncHandler } from '../../http/async-handler.js';
import { MediaFetchError, type MediaFetcher } from '../../domain/media.js';
import { MEDIA_PROXY_PATH, verifyMediaSignature } from '../media-proxy.js';

const STATUS: Record<MediaFetchError['problem'], number> = { refused: 403, not_image: 415, too_large: 413, unavailable: 502 };

/**
 * Images from other hosts, served through Hearth (`/media/proxy?url=…&sig=…`):
 * only URLs Hearth signed itself, so this is no open proxy.
 */
export function mediaRoutes(o: { secret: string; fetcher: MediaFetcher }): Router {
  const router = Router();
  router.get(
    MEDIA_PROXY_PATH,
    asyncHandler(async (req, res) => {
      const url = typeof req.query.url === 'string' ? req.query.url : '';
      const sig = typeof req.query.sig === 'string' ? req.query.sig : '';
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (!url || !sig || !verifyMediaSignature(o.secret, url, sig)) {
        res.status(404).type('text/plain').send('Not found');
        return;
      }
      try {
        const image = await o.fetcher.fetchImage(url);
        res.setHeader('Cache-Control', 'public, max-age=86400');
        res.status(200).type(image.contentType).send(image.body);
      } catch (error) {
        if (!(error instanceof MediaFetchError)) throw error;
        res.setHeader('Cache-Control', 'no-store');
        res.status(STATUS[error.problem]).type('text/plain').send('This image could not be shown.');
      }
    }),
  );
  return router;
}
