import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import { FormSubmissions } from '../domain/forms/form-submissions.js';
import { ACTION_STATUS_WORDS, PROPOSAL_STATUS_WORDS } from './moderation-words.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../domain/time-zones.js';


function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** Links for a paginated list; `base` is the path without ?page. */
function pageLinks(page: number, pageCount: number, base: string): Array<{ number: number; href: string; current: boolean }> {
  const numbers = new Set([1, pageCount, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pageCount));
  return [...numbers]
    .sort((a, b) => a - b)
    .map((n) => ({ number: n, href: n === 1 ? base : `${base}?page=${n}`, current: n === page }));
}

/** Handlebars helpers available in every view. Every output is escaped unless it says SafeString. */
export const viewHelpers = {
  /**
   * "15 Jan 2026, 13:00 CET", in the viewer's zone: `viewerTimeZone` on the
   * page's root (res.locals, set for every request), UTC where there is none.
   */
  dateTime(value: unknown, options?: Handlebars.HelperOptions): Handlebars.SafeString | string {
    const d = toDate(value);
    if (!d) return '';
    const root: unknown = options?.data?.root;
    const zone = (root as { viewerTimeZone?: unknown } | undefined)?.viewerTimeZone;
    const shownIn = typeof zone === 'string' ? zone : DEFAULT_TIME_ZONE;
    const iso = Handlebars.escapeExpression(d.toISOString());
    return new Handlebars.SafeString(`<time datetime="${iso}">${Handlebars.escapeExpression(formatDateTime(d, shownIn))}</time>`);
  },
  /** A creation form's one-time token: the one it already had (shown again after a problem), or a new one. */
  formToken(existing: unknown): string {
    if (typeof existing === 'string' && FormSubmissions.isToken(existing)) return existing;
    return randomBytes(18).toString('base64url');
  },
  /** An action's or proposal's state in words: {{statusWords "action" status}}. */
  statusWords(kind: unknown, status: unknown): string {
    const words = kind === 'proposal' ? PROPOSAL_STATUS_WORDS : ACTION_STATUS_WORDS;
    return words[String(status)] ?? String(status).replace(/_/g, ' ');
  },
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
  plural(count: unknown, one: string, many: string): string {
    const n = Number(count);
    return `${n} ${n === 1 ? one : many}`;
  },
  displayName(person: unknown): string {
    if (typeof person !== 'object' || person === null) return 'A former member';
    const p = person as { handle?: string; displayName?: string };
    return p.displayName && p.displayName.trim() !== '' ? p.displayName : (p.handle ?? 'A former member');
  },
  pagination(page: number, pageCount: number, base: string, options: Handlebars.HelperOptions): string {
    if (pageCount <= 1) return '';
    return options.fn({
      links: pageLinks(page, pageCount, base),
      previous: page > 1 ? (page - 1 === 1 ? base : `${base}?page=${page - 1}`) : null,
      next: page < pageCount ? `${base}?page=${page + 1}` : null,
    });
  },
  /** aria-describedby ids for a field: its hint and, when present, its error. */
  describedBy(field: string, hasHint: boolean, errors: Record<string, string> | undefined): string {
    const ids = [];
    if (hasHint) ids.push(`${field}-hint`);
    if (errors?.[field]) ids.push(`${field}-error`);
    return ids.join(' ');
  },
};
