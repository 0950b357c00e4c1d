import { z } from 'zod';
import { ValidationError, type FieldErrors } from '../errors.js';
import type { SearchRequest } from './search.js';

export const SEARCH_LIMITS = {
  /** Characters of the words searched for. */
  words: 200,
  perPage: 20,
  /** Results beyond this many pages are not shown: a word or a filter narrows them down. */
  maxPages: 50,
} as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A handle here (alice) or elsewhere (alice@example.org), after a leading @ is taken off. */
const AUTHOR = /^[a-z0-9_][a-z0-9_.-]{0,63}(@[a-z0-9][a-z0-9.-]{0,252}(:\d{1,5})?)?$/;

function realDay(raw: string): boolean {
  const m = DAY.exec(raw);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const ONCE = 'Please give this once.';
const text = z.string({ error: ONCE }).optional();

/** What the address may carry: each filter once, as text (unknown parameters are ignored). */
const SHAPE = z.object({
  q: text,
  circle: text,
  author: text,
  from: text,
  to: text,
  page: text,
});

/**
 * Reads /search's address into a checked request, or refuses it with a clear
 * word next to each filter (a bad day, a page that is not a number): never an
 * error page.
 */
export function readSearchRequest(raw: unknown): SearchRequest {
  const parsed = SHAPE.safeParse(raw ?? {});
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'q')] = issue.message;
    throw new ValidationError(errors, 'Some of the search needs another look.');
  }
  const d = parsed.data;
  const q = (d.q ?? '').replace(/\s+/g, ' ').trim();
  if (q.length > SEARCH_LIMITS.words) errors.q = `Please keep the words to ${SEARCH_LIMITS.words} characters or fewer.`;
  if (q.includes('\u0000')) errors.q = 'This contains an invisible character (NUL). Please type the words again.';

  const circle = (d.circle ?? '').trim().toLowerCase();
  if (circle !== '' && !/^[a-z][a-z0-9_]{0,63}$/.test(circle)) errors.circle = 'Choose one of the circles in the list.';

  const author = (d.author ?? '').trim().replace(/^@/, '').toLowerCase();
  if (author !== '' && !AUTHOR.test(author)) errors.author = 'Write a handle like alice, or alice@example.org for someone on another server.';

  const from = (d.from ?? '').trim();
  const to = (d.to ?? '').trim();
  if (from !== '' && !realDay(from)) errors.from = 'Please give a day as year-month-day, like 2026-03-14.';
  if (to !== '' && !realDay(to)) errors.to = 'Please give a day as year-month-day, like 2026-03-14.';
  if (!errors.from && !errors.to && from !== '' && to !== '' && from > to) errors.to = 'The last day comes before the first one: swap them, or change one.';

  let page = 1;
  const rawPage = (d.page ?? '').trim();
  if (rawPage !== '') {
    if (!/^[1-9]\d{0,5}$/.test(rawPage)) errors.page = 'The page should be a whole number from 1.';
    else if (Number(rawPage) > SEARCH_LIMITS.maxPages) errors.page = `Search shows the first ${SEARCH_LIMITS.maxPages} pages. A word more, or a filter, narrows the results down.`;
    else page = Number(rawPage);
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, 'Some of the search needs another look.');
  return { q, circle, author, from, to, page };
}
