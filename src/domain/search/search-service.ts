import { msg } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import { searchableCircles } from '../../storage/repositories/search-repository.js';
import { ValidationError } from '../errors.js';
import type { Member } from '../members/member.js';
import { pageCountFor } from '../threads/thread.js';
import { SEARCH_LIMITS } from './search-request.js';
import type { RankedHit, SearchHit, SearchQuery, SearchRequest, SearchResults, SearchSource } from './search.js';

export interface SearchCircle {
  id: number;
  slug: string;
  name: string;
}

/** Members-only circles, followed circles and blocks count only for active members. */
function activeOnly(viewer: Member | undefined): Member | undefined {
  return viewer && viewer.status === 'active' ? viewer : undefined;
}

/**
 * Search (issue 10): the words and filters of /search, over every source the
 * viewer may search (posts in circles; private conversations can be added as
 * another source), merged by rank and paginated. Each source shows only what
 * the viewer may see.
 */
export class SearchService {
  constructor(
    private readonly db: Database,
    private readonly sources: readonly SearchSource[],
  ) {}

  /** The circles a viewer may search in, for the filter's list. */
  /** The circles a viewer may search in (public ones, members-only ones they belong to), for the filter's list. */
  circleChoices(viewer: Member | undefined): Promise<SearchCircle[]> {
    return searchableCircles(this.db, activeOnly(viewer)?.id ?? null);
  }

  async search(viewer: Member | undefined, request: SearchRequest, timeZone: string): Promise<SearchResults & { circles: SearchCircle[] }> {
    const active = activeOnly(viewer);
    const query: SearchQuery = {
      text: request.q,
      viewer: active,
      circleSlug: request.circle === '' ? null : request.circle,
      authorHandle: request.author === '' ? null : request.author,
      from: request.from === '' ? null : request.from,
      to: request.to === '' ? null : request.to,
      timeZone,
    };
    const { perPage } = SEARCH_LIMITS;
    const wanted = request.page * perPage;
    // The circles (for the filter) and the ranking side by side: each source applies what the viewer may see itself.
    const [circles, ranked] = await Promise.all([
      this.circleChoices(active),
      request.q === '' ? [] : Promise.all(this.sources.map(async (source) => ({ source, ...(await source.rank(query, wanted)) }))),
    ]);
    // A circle the viewer may not see is refused in the same words as one that does not exist.
    if (request.circle !== '' && !circles.some((c) => c.slug === request.circle)) {
      throw new ValidationError({ circle: msg('staying.search.no_such_circle') }, msg('staying.search.needs_another_look'));
    }
    if (request.q === '') return { searched: false, hits: [], total: 0, page: request.page, pageCount: 1, circles };
    const total = ranked.reduce((n, r) => n + r.total, 0);
    const merged: Array<RankedHit & { source: SearchSource }> = ranked
      .flatMap((r) => r.hits.map((h) => ({ ...h, source: r.source })))
      .sort((a, b) => b.rank - a.rank || b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    const chosen = merged.slice((request.page - 1) * perPage, wanted);

    const described = await Promise.all(
      this.sources.map(async (source) => {
        const mine = chosen.filter((c) => c.source === source);
        return mine.length === 0 ? [] : source.describe(query, mine.map((c) => c.id));
      }),
    );
    const byKey = new Map<string, SearchHit>(described.flat().map((h) => [`${h.source}:${h.id}`, h]));
    const hits = chosen.flatMap((c) => {
      const hit = byKey.get(`${c.source.name}:${c.id}`);
      return hit ? [{ ...hit, rank: c.rank }] : [];
    });
    return {
      circles,
      searched: true,
      hits,
      total,
      page: request.page,
      pageCount: Math.min(SEARCH_LIMITS.maxPages, pageCountFor(total, perPage)),
    };
  }
}
