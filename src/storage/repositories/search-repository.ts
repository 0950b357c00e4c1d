import type { Queryable } from '../database.js';

/**
 * The text search configuration of titles, private messages and posts in a
 * language without one of their own (or none known), in one place. Migrations
 * 0027 and 0036 build the stored vectors with the same ones; a test checks
 * that they agree. 'simple': no stemming and no stop words, right for
 * whatever language a group writes in.
 */
export const SEARCH_CONFIG = 'simple';

/**
 * Posts in these languages (posts.language) are searched with their own
 * configuration (stemming, stop words: "Stimmen" finds "Stimme"), in the
 * vector migration 0036 builds and in the queries below, which parse the
 * words once per configuration and match each post in its own.
 */
export const SEARCH_CONFIGS: Readonly<Record<string, string>> = {
  en: 'english',
  de: 'german',
  es: 'spanish',
  fr: 'french',
  it: 'italian',
  pt: 'portuguese',
  nl: 'dutch',
};

const LANGUAGES_WITH_CONFIG = Object.keys(SEARCH_CONFIGS).map((tag) => `'${tag}'`).join(', ');

/** The configuration of a post's language (`column` holds the language), as an SQL expression. */
function configOf(column: string): string {
  const whens = Object.entries(SEARCH_CONFIGS).map(([tag, config]) => `WHEN '${tag}' THEN '${config}'::regconfig`);
  return `(CASE ${column} ${whens.join(' ')} ELSE '${SEARCH_CONFIG}'::regconfig END)`;
}

/**
 * Posts (alias `p`) whose body matches the words ($1) parsed in the post's own
 * configuration: one branch per configuration, each a search of the GIN
 * index (the planner ORs them), its language checked after.
 */
function bodyMatches(p: string): string {
  const branches = Object.entries(SEARCH_CONFIGS).map(([tag, config]) => `(${p}.language = '${tag}' AND ${p}.search_body @@ websearch_to_tsquery('${config}', $1))`);
  branches.push(`((${p}.language IS NULL OR ${p}.language NOT IN (${LANGUAGES_WITH_CONFIG})) AND ${p}.search_body @@ websearch_to_tsquery('${SEARCH_CONFIG}', $1))`);
  return `(${branches.join(' OR ')})`;
}

/** The words ($1) parsed in the configuration of the post `p`'s language. */
const bodyQuery = (p: string) => `websearch_to_tsquery(${configOf(`${p}.language`)}, $1)`;

/**
 * What ts_headline puts around a match. Private-use characters nobody types;
 * they are taken out of the text first, so they can only come from
 * ts_headline. The domain splits snippets at them (the view escapes the
 * pieces and marks the matches).
 */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';
/**
 * ts_headline drops what its parser takes for HTML tags; a post's plain text
 * may say `<script>` in words. '<' is swapped for this character before and
 * back after, so the snippet keeps the text as written.
 */
const LESS_THAN = '\uE002';

/** What may be searched and by whom (the domain decides; SQL applies it). */
export interface PostSearchFilter {
  /** The words as typed (web search syntax: "a phrase", -without, or). */
  text: string;
  /**
   * The viewer, when an active member: members-only circles they belong to,
   * circles followed on other servers, and blocks both ways. Null for visitors.
   */
  viewerId: number | null;
  /** Everyone the viewer blocked or was blocked by (moderation's member blocks, asked first); empty for visitors. */
  blockedIds: readonly number[];
  /** A circle here, by its address (slug). */
  circleSlug: string | null;
  /** A local handle (`alice`) or someone elsewhere (`alice@example.org`), lower case. */
  authorHandle: string | null;
  /** Days (YYYY-MM-DD, already checked), in `timeZone`; `to` is included. */
  from: string | null;
  to: string | null;
  timeZone: string;
}

/** The circles here a viewer may search in (public ones; members-only ones they belong to), by name. */
export async function searchableCircles(q: Queryable, viewerId: number | null): Promise<Array<{ id: number; slug: string; name: string }>> {
  return q.query<{ id: number; slug: string; name: string }>(
    `SELECT c.id, c.slug, c.name FROM circles c
     WHERE c.visibility = 'public' OR EXISTS (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.id AND cm.member_id = $1::int)
     ORDER BY lower(c.name), c.id`,
    [viewerId],
  );
}

export interface RankedPost {
  postId: number;
  rank: number;
  createdAt: Date;
}

const QUERY = `websearch_to_tsquery('${SEARCH_CONFIG}', $1)`;

/**
 * The posts a viewer may see that match, best first (title matches count for
 * the opening post, weighted above the body), at most `limit` of them, and
 * how many there are in all. Never held, hidden, removed or deleted posts;
 * members-only circles only for their members; followed circles elsewhere
 * only for members (as their pages are); nothing by someone the viewer
 * blocked or who blocked the viewer.
 */
export async function rankPosts(q: Queryable, f: PostSearchFilter, limit: number): Promise<{ total: number; hits: RankedPost[] }> {
  const rows = await q.query<{ id: number; rank: number; created_at: Date; total: number }>(
    `SELECT p.id, p.created_at, count(*) OVER ()::int AS total,
            ts_rank_cd(p.search_body, ${bodyQuery('p')}) + CASE WHEN p.is_opening THEN ts_rank_cd(t.search_title, ${QUERY}) ELSE 0 END AS rank
     FROM posts p
     JOIN threads t ON t.id = p.thread_id
     LEFT JOIN circles c ON c.id = t.circle_id
     WHERE p.id IN (
         SELECT m.id FROM posts m WHERE ${bodyMatches('m')}
         UNION ALL
         SELECT o.id FROM threads tt JOIN posts o ON o.thread_id = tt.id AND o.is_opening WHERE tt.search_title @@ ${QUERY})
       AND p.state = 'visible'
       AND (
         (c.id IS NOT NULL AND (c.visibility = 'public' OR EXISTS (
           SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.id AND cm.member_id = $2::int)))
         OR (t.remote_circle_id IS NOT NULL AND $2::int IS NOT NULL)
       )
       AND ($2::int IS NULL OR p.author_id IS NULL OR NOT (p.author_id = ANY($9::int[])))
       AND ($3::text IS NULL OR c.slug = $3::text)
       AND ($4::text IS NULL
         OR EXISTS (SELECT 1 FROM members a WHERE a.id = p.author_id AND a.handle = $4::text)
         OR EXISTS (SELECT 1 FROM remote_actors ra WHERE ra.id = p.remote_author_id AND lower(ra.handle || '@' || ra.host) = $4::text))
       AND ($5::text IS NULL OR p.created_at >= ($5::date)::timestamp AT TIME ZONE $7::text)
       AND ($6::text IS NULL OR p.created_at < ($6::date + 1)::timestamp AT TIME ZONE $7::text)
     ORDER BY rank DESC, p.created_at DESC, p.id DESC
     LIMIT $8`,
    [f.text, f.viewerId, f.circleSlug, f.authorHandle, f.from, f.to, f.timeZone, limit, f.blockedIds],
  );
  return {
    total: rows[0]?.total ?? 0,
    hits: rows.map((r) => ({ postId: r.id, rank: Number(r.rank), createdAt: r.created_at })),
  };
}

export interface PostHitRow {
  postId: number;
  threadId: number;
  isOpening: boolean;
  createdAt: Date;
  contentWarning: string | null;
  /** How many posts come before it in its thread (for its page). */
  position: number;
  circleSlug: string | null;
  circleName: string | null;
  remoteCircleId: number | null;
  remoteCircleName: string | null;
  authorHandle: string | null;
  authorDisplayName: string | null;
  /** With MATCH_START/MATCH_END around the matches. */
  titleHeadline: string;
  bodyHeadline: string;
}

const BODY_HEADLINE = `MinWords=15, MaxWords=35, ShortWord=0, StartSel=${MATCH_START}, StopSel=${MATCH_END}`;
const TITLE_HEADLINE = `HighlightAll=true, StartSel=${MATCH_START}, StopSel=${MATCH_END}`;

/** The chosen posts as a results page shows them, with their highlighted title and snippet. */
export async function describePosts(q: Queryable, text: string, postIds: readonly number[]): Promise<PostHitRow[]> {
  if (postIds.length === 0) return [];
  const rows = await q.query<{
    id: number;
    thread_id: number;
    is_opening: boolean;
    created_at: Date;
    content_warning: string | null;
    position: number;
    circle_slug: string | null;
    circle_name: string | null;
    remote_circle_id: number | null;
    remote_circle_name: string | null;
    author_handle: string | null;
    author_display_name: string | null;
    title_headline: string;
    body_headline: string;
  }>(
    `WITH query AS (SELECT ${QUERY} AS q)
     SELECT p.id, p.thread_id, p.is_opening, p.created_at, p.content_warning,
            (SELECT count(*)::int FROM posts e WHERE e.thread_id = p.thread_id
               AND (e.created_at < p.created_at OR (e.created_at = p.created_at AND e.id < p.id))) AS position,
            c.slug AS circle_slug, c.name AS circle_name,
            rc.id AS remote_circle_id, COALESCE(NULLIF(rc.name, ''), rc.handle || '@' || rc.host) AS remote_circle_name,
            COALESCE(m.handle, ra.handle || '@' || ra.host) AS author_handle,
            COALESCE(m.display_name, ra.display_name) AS author_display_name,
            ts_headline('${SEARCH_CONFIG}', replace(translate(t.title, $3, ''), '<', $6), query.q, $4) AS title_headline,
            ts_headline(${configOf('p.language')}, replace(translate(p.plain_text, $3, ''), '<', $6), ${bodyQuery('p')}, $5) AS body_headline
     FROM posts p
     JOIN threads t ON t.id = p.thread_id
     LEFT JOIN circles c ON c.id = t.circle_id
     LEFT JOIN remote_circles rc ON rc.id = t.remote_circle_id
     LEFT JOIN members m ON m.id = p.author_id
     LEFT JOIN remote_actors ra ON ra.id = p.remote_author_id
     CROSS JOIN query
     WHERE p.id = ANY($2::int[])`,
    [text, postIds, MATCH_START + MATCH_END + LESS_THAN, TITLE_HEADLINE, BODY_HEADLINE, LESS_THAN],
  );
  return rows.map((r) => ({
    postId: r.id,
    threadId: r.thread_id,
    isOpening: r.is_opening,
    createdAt: r.created_at,
    contentWarning: r.content_warning,
    position: r.position,
    circleSlug: r.circle_slug,
    circleName: r.circle_name,
    remoteCircleId: r.remote_circle_id,
    remoteCircleName: r.remote_circle_id === null ? null : r.remote_circle_name,
    authorHandle: r.author_handle,
    authorDisplayName: r.author_display_name,
    titleHeadline: r.title_headline.replaceAll(LESS_THAN, '<'),
    bodyHeadline: r.body_headline.replaceAll(LESS_THAN, '<'),
  }));
}

export interface ConversationHitRow {
  messageId: number;
  conversationId: number;
  createdAt: Date;
  authorHandle: string | null;
  authorDisplayName: string | null;
  /** The other people in it, by handle. */
  others: string[];
  bodyHeadline: string;
}

/**
 * Messages in the private conversations the viewer takes part in (not left),
 * that match, best first; never removed messages, nor those of someone the
 * viewer blocked or who blocked them. Conversations are in no circle: a circle
 * filter finds none.
 */
export async function rankConversationMessages(
  q: Queryable,
  f: Omit<PostSearchFilter, 'viewerId'> & { viewerId: number },
  limit: number,
): Promise<{ total: number; hits: RankedPost[] }> {
  if (f.circleSlug !== null) return { total: 0, hits: [] };
  const rows = await q.query<{ id: number; rank: number; created_at: Date; total: number }>(
    `SELECT m.id, m.created_at, count(*) OVER ()::int AS total, ts_rank_cd(m.search_body, ${QUERY}) AS rank
     FROM conversation_messages m
     JOIN conversation_participants me ON me.conversation_id = m.conversation_id AND me.member_id = $2 AND me.state <> 'left'
     WHERE m.search_body @@ ${QUERY}
       AND m.kind = 'message' AND m.removed_at IS NULL
       AND (m.author_id IS NULL OR NOT (m.author_id = ANY($8::int[])))
       AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM members a WHERE a.id = m.author_id AND a.handle = $3::text))
       AND ($4::text IS NULL OR m.created_at >= ($4::date)::timestamp AT TIME ZONE $6::text)
       AND ($5::text IS NULL OR m.created_at < ($5::date + 1)::timestamp AT TIME ZONE $6::text)
     ORDER BY rank DESC, m.created_at DESC, m.id DESC
     LIMIT $7`,
    [f.text, f.viewerId, f.authorHandle, f.from, f.to, f.timeZone, limit, f.blockedIds],
  );
  return { total: rows[0]?.total ?? 0, hits: rows.map((r) => ({ postId: r.id, rank: Number(r.rank), createdAt: r.created_at })) };
}

/** The chosen messages with their highlighted snippet, again only from the viewer's own conversations. */
export async function describeConversationMessages(q: Queryable, text: string, viewerId: number, messageIds: readonly number[]): Promise<ConversationHitRow[]> {
  if (messageIds.length === 0) return [];
  const rows = await q.query<{
    id: number;
    conversation_id: number;
    created_at: Date;
    author_handle: string | null;
    author_display_name: string | null;
    others: string[] | null;
    body_headline: string;
  }>(
    `SELECT m.id, m.conversation_id, m.created_at, a.handle AS author_handle, a.display_name AS author_display_name,
            (SELECT array_agg(o.handle ORDER BY o.handle) FROM conversation_participants op JOIN members o ON o.id = op.member_id
              WHERE op.conversation_id = m.conversation_id AND op.member_id <> $3) AS others,
            ts_headline('${SEARCH_CONFIG}', replace(translate(m.plain_text, $4, ''), '<', $6), ${QUERY}, $5) AS body_headline
     FROM conversation_messages m
     JOIN conversation_participants me ON me.conversation_id = m.conversation_id AND me.member_id = $3 AND me.state <> 'left'
     LEFT JOIN members a ON a.id = m.author_id
     WHERE m.id = ANY($2::int[]) AND m.kind = 'message' AND m.removed_at IS NULL`,
    [text, messageIds, viewerId, MATCH_START + MATCH_END + LESS_THAN, BODY_HEADLINE, LESS_THAN],
  );
  return rows.map((r) => ({
    messageId: r.id,
    conversationId: r.conversation_id,
    createdAt: r.created_at,
    authorHandle: r.author_handle,
    authorDisplayName: r.author_display_name,
    others: r.others ?? [],
    bodyHeadline: r.body_headline.replaceAll(LESS_THAN, '<'),
  }));
}
