import { msg } from '../../i18n/message.js';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { HearthError } from '../../domain/errors.js';
import { readSearchRequest, SEARCH_LIMITS } from '../../domain/search/search-request.js';
import type { SearchRequest, SearchResults } from '../../domain/search/search.js';
import { asyncHandler } from '../../http/async-handler.js';
import { uncachedPage } from '../page-cache.js';
import type { RouteContext } from './route-context.js';

/** The address of a results page with the same words and filters. */
function pageHref(request: SearchRequest, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'circle', 'author', 'from', 'to'] as const) if (request[key] !== '') params.set(key, request[key]);
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

function pagination(request: SearchRequest, results: SearchResults) {
  if (results.pageCount <= 1 && results.page <= 1) return null;
  const first = Math.max(1, results.page - 3);
  const last = Math.min(results.pageCount, results.page + 3);
  const links = [];
  for (let n = first; n <= last; n++) links.push({ number: n, href: pageHref(request, n), current: n === results.page });
  return {
    links,
    previous: results.page > 1 ? pageHref(request, results.page - 1) : null,
    next: results.page < results.pageCount ? pageHref(request, results.page + 1) : null,
  };
}

/** What the address said, to put back into the form after a problem. */
function typedFilters(req: Request): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ['q', 'circle', 'author', 'from', 'to']) {
    const value = req.query[key];
    if (typeof value === 'string') values[key] = value;
  }
  return values;
}

/**
 * /search: full-text search over what the viewer may read, as a plain GET
 * form (works without JavaScript; the navigation's search box sends `q`).
 * Never kept in the visitors' page cache (one page per query would fill it).
 */
export function searchRoutes({ services, limits }: RouteContext): Router {
  const router = Router();
  // Only searching counts towards the limit, not opening the empty form.
  const limitSearches: RequestHandler = (req, res, next) => (typeof req.query.q === 'string' && req.query.q.trim() !== '' ? limits.search(req, res, next) : next());

  const render = (res: Response, status: number, page: Record<string, unknown>) => res.status(status).render('search', { title: msg('staying.search.title'), ...page });

  router.get(
    '/search',
    limitSearches,
    asyncHandler(async (req, res) => {
      uncachedPage(res);
      // Results pages are for the person asking, not for search engines.
      res.set('X-Robots-Tag', 'noindex');
      try {
        const request = readSearchRequest(req.query);
        const results = await services.search.search(req.user, request, String(res.locals.viewerTimeZone));
        render(res, 200, {
          circles: results.circles,
          title: request.q === '' ? msg('staying.search.title') : msg('staying.search.title_for', { words: request.q }),
          values: { q: request.q, circle: request.circle, author: request.author, from: request.from, to: request.to },
          results,
          from: (results.page - 1) * SEARCH_LIMITS.perPage + 1,
          pagination: pagination(request, results),
        });
      } catch (error) {
        if (!(error instanceof HearthError) || error.kind !== 'validation') throw error;
        const errorList = Object.entries(error.fields).map(([field, message]) => ({ field, message }));
        render(res, 400, {
          circles: await services.search.circleChoices(req.user),
          values: typedFilters(req),
          errors: error.fields,
          errorSummary: { message: error.message, list: errorList },
        });
      }
    }),
  );
  return router;
}
