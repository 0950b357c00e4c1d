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

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 hours ago", "yesterday", "just now": how long before `now` `at` was. */
export function relativeWords(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** A few calm colours for generated avatars, each with white initials at more than 4.5:1. */
export const AVATAR_COLOURS = 8;

/** The same colour for the same handle, everywhere. */
export function avatarColour(handle: string): number {
  let hash = 0;
  for (const ch of handle) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return hash % AVATAR_COLOURS;
}

/** One or two letters for a generated avatar: the first letters of the name's first two words, or of the handle. */
export function initialsOf(displayName: unknown, handle: unknown): string {
  const name = typeof displayName === 'string' && displayName.trim() !== '' ? displayName : typeof handle === 'string' ? handle : '';
  const words = name.trim().split(/[\s._-]+/u).filter((w) => w !== '');
  const letters = words.slice(0, 2).map((w) => [...w][0]!.toLocaleUpperCase('en'));
  return letters.join('') || '?';
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
  /**
   * "3 hours ago", with the exact time (in the viewer's zone) as its title and
   * machine-readable datetime. "Now" is the page's `now` (the domain's clock), else the time of rendering.
   */
  timeAgo(value: unknown, options?: Handlebars.HelperOptions): Handlebars.SafeString | string {
    const d = toDate(value);
    if (!d) return '';
    const root = options?.data?.root as { viewerTimeZone?: unknown; now?: unknown } | undefined;
    const zone = typeof root?.viewerTimeZone === 'string' ? root.viewerTimeZone : DEFAULT_TIME_ZONE;
    const now = toDate(root?.now) ?? new Date();
    const iso = Handlebars.escapeExpression(d.toISOString());
    const exact = Handlebars.escapeExpression(formatDateTime(d, zone));
    return new Handlebars.SafeString(`<time datetime="${iso}" title="${exact}">${Handlebars.escapeExpression(relativeWords(d, now))}</time>`);
  },
  initials: (displayName: unknown, handle: unknown) => initialsOf(displayName, handle),
  avatarColour: (handle: unknown) => avatarColour(typeof handle === 'string' ? handle : ''),
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
