import type { Text } from '../../i18n/translate.js';
import type { Member } from '../members/member.js';

/** A piece of a title or snippet; `match` pieces are what the words found. Plain text: the view escapes it. */
export interface TextPiece {
  /** Words found (plain text), or a message Hearth words itself ("Private conversation with …"). */
  text: Text;
  match: boolean;
}

/** What a person asks for at /search (already read from the address; checked by the service). */
export interface SearchRequest {
  /** The words, as typed. Empty: nothing is searched yet (the form alone). */
  q: string;
  /** A circle's address (slug) here, or empty for every circle. */
  circle: string;
  /** A handle (`alice`, `@alice`, `alice@example.org`), or empty. */
  author: string;
  /** Days as YYYY-MM-DD, or empty; `to` is included. */
  from: string;
  to: string;
  page: number;
}

/** The search as a source runs it: who asks, and the checked filters. */
export interface SearchQuery {
  text: string;
  /** The viewer when an active member; undefined for visitors (and accounts not active). */
  viewer: Member | undefined;
  /** A circle here by its address (only among those the viewer may see). */
  circleSlug: string | null;
  authorHandle: string | null;
  from: string | null;
  to: string | null;
  /** The zone the days are meant in (the viewer's). */
  timeZone: string;
}

/** One result, wherever it came from. */
export interface SearchHit {
  /** Which source found it (`posts`; private conversations will add their own). */
  source: string;
  id: number;
  rank: number;
  createdAt: Date;
  /** Where it is, with the right page and anchor. */
  link: string;
  /** The thread's title, or the conversation's name. */
  title: TextPiece[];
  snippet: TextPiece[];
  /** Where it was said: a circle's name, a followed circle's name. */
  place: { name: Text; link: string };
  author: { handle: string; displayName: string } | null;
  contentWarning: string | null;
  /** The opening post of its thread (matched by its title or its text). */
  opening: boolean;
}

/** A ranked candidate: enough to merge sources and choose a page. */
export interface RankedHit {
  id: number;
  rank: number;
  createdAt: Date;
}

/**
 * Something that can be searched. Posts in circles are one source; private
 * conversations (searchable only by their participants) can be another: the
 * service merges sources by rank. Each source applies what the viewer may see.
 */
export interface SearchSource {
  readonly name: string;
  /** The best `limit` matches the viewer may see, and how many there are in all. */
  rank(query: SearchQuery, limit: number): Promise<{ total: number; hits: RankedHit[] }>;
  /** The chosen ones, ready to show (any order; missing ones are left out). */
  describe(query: SearchQuery, ids: readonly number[]): Promise<SearchHit[]>;
}

export interface SearchResults {
  /** False when no words were given (the page shows the form alone). */
  searched: boolean;
  hits: SearchHit[];
  total: number;
  page: number;
  pageCount: number;
}

/** Splits a headline at the markers around its matches into plain pieces. */
export function splitHeadline(headline: string, start: string, end: string): TextPiece[] {
  const pieces: Array<{ text: string; match: boolean }> = [];
  let rest = headline;
  while (rest.length > 0) {
    const open = rest.indexOf(start);
    if (open === -1) {
      pieces.push({ text: rest, match: false });
      break;
    }
    if (open > 0) pieces.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf(end, open + start.length);
    const inner = close === -1 ? rest.slice(open + start.length) : rest.slice(open + start.length, close);
    if (inner.length > 0) pieces.push({ text: inner, match: true });
    rest = close === -1 ? '' : rest.slice(close + end.length);
  }
  // Stray markers (never expected) are dropped rather than shown.
  return pieces.map((p) => p.text.split(start).join('').split(end).join('')).flatMap((text, i) => (text.length > 0 ? [{ text, match: pieces[i]!.match }] : []));
}
