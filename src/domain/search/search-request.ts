import { msg } from '../../i18n/message.js';
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

/** Each filter once, as text: anything else is refused with `staying.search.once`. */
const text = z.string().optional();

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
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'q')] = msg('staying.search.once');
    throw new ValidationError(errors, msg('staying.search.needs_another_look'));
  }
  const d = parsed.data;
  const q = (d.q ?? '').replace(/\s+/g, ' ').trim();
  if (q.length > SEARCH_LIMITS.words) errors.q = msg('staying.search.words_too_long', { max: SEARCH_LIMITS.words });
  if (q.includes('\u0000')) errors.q = msg('staying.search.nul');

  const circle = (d.circle ?? '').trim().toLowerCase();
  if (circle !== '' && !/^[a-z][a-z0-9_]{0,63}$/.test(circle)) errors.circle = msg('staying.search.choose_circle');

  const author = (d.author ?? '').trim().replace(/^@/, '').toLowerCase();
  if (author !== '' && !AUTHOR.test(author)) errors.author = msg('staying.search.author_shape');

  const from = (d.from ?? '').trim();
  const to = (d.to ?? '').trim();
  if (from !== '' && !realDay(from)) errors.from = msg('staying.search.day_shape');
  if (to !== '' && !realDay(to)) errors.to = msg('staying.search.day_shape');
  if (!errors.from && !errors.to && from !== '' && to !== '' && from > to) errors.to = msg('staying.search.days_swapped');

  let page = 1;
  const rawPage = (d.page ?? '').trim();
  if (rawPage !== '') {
    if (!/^[1-9]\d{0,5}$/.test(rawPage)) errors.page = msg('staying.search.page_number');
    else if (Number(rawPage) > SEARCH_LIMITS.maxPages) errors.page = msg('staying.search.too_many_pages', { max: SEARCH_LIMITS.maxPages });
    else page = Number(rawPage);
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, msg('staying.search.needs_another_look'));
  return { q, circle, author, from, to, page };
}
