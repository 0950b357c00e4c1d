import type { Database } from '../../storage/database.js';
import { describePosts, MATCH_END, MATCH_START, rankPosts } from '../../storage/repositories/search-repository.js';
import { PAGE_SIZES } from '../limits.js';
import { blockedEitherWay, type MemberBlocks } from '../members/member-blocks.js';
import { splitHeadline, type SearchHit, type SearchQuery, type SearchSource } from './search.js';

/** Posts in circles here and in circles followed elsewhere, as the viewer may read them. */
export class PostSearchSource implements SearchSource {
  readonly name = 'posts';

  constructor(
    private readonly db: Database,
    private readonly blocks: MemberBlocks,
  ) {}

  async rank(query: SearchQuery, limit: number) {
    const viewerId = query.viewer?.id ?? null;
    return rankPosts(
      this.db,
      {
        text: query.text,
        viewerId,
        blockedIds: viewerId === null ? [] : await blockedEitherWay(this.blocks, this.db, viewerId),
        circleSlug: query.circleSlug,
        authorHandle: query.authorHandle,
        from: query.from,
        to: query.to,
        timeZone: query.timeZone,
      },
      limit,
    ).then(({ total, hits }) => ({ total, hits: hits.map((h) => ({ id: h.postId, rank: h.rank, createdAt: h.createdAt })) }));
  }

  async describe(query: SearchQuery, ids: readonly number[]): Promise<SearchHit[]> {
    const rows = await describePosts(this.db, query.text, ids);
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const page = Math.floor(r.position / PAGE_SIZES.postsPerPage) + 1;
      const pageSuffix = page > 1 ? `?page=${page}` : '';
      let threadPath: string;
      let place: SearchHit['place'];
      if (r.circleSlug !== null) {
        threadPath = `/c/${r.circleSlug}/t/${r.threadId}`;
        place = { name: r.circleName ?? r.circleSlug, link: `/c/${r.circleSlug}` };
      } else if (r.remoteCircleId !== null) {
        threadPath = `/f/${r.remoteCircleId}/t/${r.threadId}`;
        place = { name: r.remoteCircleName ?? '', link: `/f/${r.remoteCircleId}` };
      } else {
        continue;
      }
      hits.push({
        source: this.name,
        id: r.postId,
        rank: 0,
        createdAt: r.createdAt,
        link: `${threadPath}${pageSuffix}#post-${r.postId}`,
        title: splitHeadline(r.titleHeadline, MATCH_START, MATCH_END),
        snippet: splitHeadline(r.bodyHeadline, MATCH_START, MATCH_END),
        place,
        author: r.authorHandle ? { handle: r.authorHandle, displayName: r.authorDisplayName ?? '' } : null,
        contentWarning: r.contentWarning,
        opening: r.isOpening,
      });
    }
    return hits;
  }
}
