import { msg } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import { describeConversationMessages, MATCH_END, MATCH_START, rankConversationMessages } from '../../storage/repositories/search-repository.js';
import { blockedEitherWay, type MemberBlocks } from '../members/member-blocks.js';
import { splitHeadline, type SearchHit, type SearchQuery, type SearchSource } from './search.js';

/** Messages in private conversations: found only by the people taking part in them. */
export class ConversationSearchSource implements SearchSource {
  readonly name = 'conversations';

  constructor(
    private readonly db: Database,
    private readonly blocks: MemberBlocks,
  ) {}

  async rank(query: SearchQuery, limit: number) {
    if (!query.viewer) return { total: 0, hits: [] };
    const { total, hits } = await rankConversationMessages(
      this.db,
      { text: query.text, viewerId: query.viewer.id, blockedIds: await blockedEitherWay(this.blocks, this.db, query.viewer.id), circleSlug: query.circleSlug, authorHandle: query.authorHandle, from: query.from, to: query.to, timeZone: query.timeZone },
      limit,
    );
    return { total, hits: hits.map((h) => ({ id: h.postId, rank: h.rank, createdAt: h.createdAt })) };
  }

  async describe(query: SearchQuery, ids: readonly number[]): Promise<SearchHit[]> {
    if (!query.viewer) return [];
    const rows = await describeConversationMessages(this.db, query.text, query.viewer.id, ids);
    return rows.map((r) => {
      const withWhom = r.others.length > 0 ? r.others.map((h) => `@${h}`).join(', ') : '';
      return {
        source: this.name,
        id: r.messageId,
        rank: 0,
        createdAt: r.createdAt,
        link: `/conversations/${r.conversationId}#message-${r.messageId}`,
        title: [{ text: withWhom === '' ? msg('staying.search.conversation_alone') : msg('staying.search.conversation_with', { who: withWhom }), match: false }],
        snippet: splitHeadline(r.bodyHeadline, MATCH_START, MATCH_END),
        place: { name: msg('staying.search.your_conversations'), link: '/conversations' },
        author: r.authorHandle ? { handle: r.authorHandle, displayName: r.authorDisplayName ?? '' } : null,
        contentWarning: null,
        opening: false,
      };
    });
  }
}
