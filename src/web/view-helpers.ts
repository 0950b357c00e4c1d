import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import { FormSubmissions } from '../domain/forms/form-submissions.js';
import { statusKey } from './moderation-words.js';
import { postLanguageOptions } from './post-language-options.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../domain/time-zones.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import { isMessageRef, type MessageRef } from '../i18n/message.js';
import { fragmentMark, type FragmentSlots } from './fragment-page.js';
import { hasTags, translate, translateRich, type DateWords, type TagRenderer } from '../i18n/translate.js';

/** The page's language: `locale` on the page's root (res.locals, set for every request). */
function localeOf(options: Handlebars.HelperOptions | undefined): Locale {
  const locale = (options?.data?.root as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The zone the page shows times in (`viewerTimeZone` on the page's root). */
function zoneOf(options: Handlebars.HelperOptions | undefined): string {
  const zone = (options?.data?.root as { viewerTimeZone?: unknown } | undefined)?.viewerTimeZone;
  return typeof zone === 'string' ? zone : DEFAULT_TIME_ZONE;
}

/** Dates inside messages, as {{dateTime}} writes them: in the viewer's zone and the page's language. */
function dateWordsFor(options: Handlebars.HelperOptions | undefined): DateWords {
  const locale = localeOf(options);
  const zone = zoneOf(options);
  return (at) => formatDateTime(at, zone, locale);
}

/**
 * The tags a message may hold: <strong>, <em>, <code>, and links whose
 * address is a value (`<link>` uses `href`, `<link2>` uses `href2`).
 */
function tagsFor(values: Record<string, unknown>): Record<string, TagRenderer> {
  const link = (href: unknown) => (chunks: string) => `<a href="${Handlebars.escapeExpression(String(href ?? ''))}">${chunks}</a>`;
  return {
    strong: (chunks) => `<strong>${chunks}</strong>`,
    em: (chunks) => `<em>${chunks}</em>`,
    code: (chunks) => `<code>${chunks}</code>`,
    link: link(values.href),
    link2: link(values.href2),
    handletag: (chunks) => `<span class="handle">${chunks}</span>`,
  };
}


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

const numberFormats = new Map<Locale, Intl.NumberFormat>();
function numberFormat(locale: Locale): Intl.NumberFormat {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale);
    numberFormats.set(locale, f);
  }
  return f;
}

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();
function relativeFormat(locale: Locale): Intl.RelativeTimeFormat {
  let f = relativeFormats.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale, f);
  }
  return f;
}
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 hours ago", "yesterday", "just now": how long before `now` `at` was. */
export function relativeWords(at: Date, now: Date, locale: Locale = DEFAULT_LOCALE): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return translate(locale, 'common.time.just_now');
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size) return relativeFormat(locale).format(Math.trunc(seconds / size), unit);
  }
  return translate(locale, 'common.time.just_now');
}

/**
 * How long (ms) `relativeWords(at, now)` stays the same as time passes: a
 * page that shows it may be kept that long (member-pages.ts). Errs short.
 */
export function wordsHoldFor(at: Date, now: Date): number {
  const seconds = (at.getTime() - now.getTime()) / 1000;
  const size = STEPS.find(([, s]) => Math.abs(seconds) >= s)?.[1];
  let next: number;
  if (seconds <= 0) {
    // In the past: the words change when the time since reaches the next whole unit, or the next larger unit.
    const since = -seconds;
    const larger = STEPS.map(([, s]) => s).filter((s) => s > since);
    next = Math.min(size ? (Math.floor(since / size) + 1) * size : 60, ...larger) - since;
  } else {
    // To come: when the time until drops below the current whole unit ("in 2 hours" to "in 1 hour"), or passes.
    next = size ? seconds - Math.floor(seconds / size) * size : seconds + 60;
  }
  // Rounded to whole seconds by relativeWords: a second and a half less.
  return Math.max(0, Math.floor((next - 1.5) * 1000));
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

/** {{t}}'s words: the message in `locale` with the hash's values (tags made into HTML, values escaped). */
function wordsOf(locale: Locale, name: string, values: Record<string, unknown>, options: Handlebars.HelperOptions | undefined): Handlebars.SafeString | string {
  const given: Record<string, string | number | Date | MessageRef> = {};
  // HTML another helper made ({{t "…" when=(dateTime d)}}) stays HTML: a marker while formatting, put back after escaping.
  const html: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v instanceof Handlebars.SafeString) given[k] = `\u0000${html.push(v.toHTML()) - 1}\u0000`;
    else given[k] = isMessageRef(v) || v instanceof Date || typeof v === 'number' ? v : String(v ?? '');
  }
  const dates = dateWordsFor(options);
  const withHtml = (escaped: string) => new Handlebars.SafeString(escaped.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => html[Number(i)] ?? ''));
  if (hasTags(locale, name)) {
    const rich = translateRich(locale, name, given, tagsFor(values), Handlebars.escapeExpression, dates);
    return html.length > 0 ? withHtml(rich) : new Handlebars.SafeString(rich);
  }
  const plain = translate(locale, name, given, dates);
  return html.length > 0 ? withHtml(Handlebars.escapeExpression(plain)) : plain;
}

/** {{t}}'s results by language, key and values; only for values that are words or numbers (no dates, no messages). */
const worded = new Map<string, Handlebars.SafeString | string>();
const WORDED_MAX = 20_000;

function wordedId(locale: Locale, name: string, values: Record<string, unknown>): string | undefined {
  const parts: unknown[] = [locale, name];
  for (const k in values) {
    const v = values[k];
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    parts.push(k, v);
  }
  return JSON.stringify(parts);
}


/** Handlebars helpers available in every view. Every output is escaped unless it says SafeString. */
export const viewHelpers = {
  /**
   * Words from the catalogue in the page's language: {{t "circles.reply" count=3}}.
   * The hash holds the message's values. A message with tags (<strong>, <link>)
   * comes back as HTML with its values escaped; any other as text, escaped by
   * Handlebars. A key no catalogue has is an error (a test scans every template).
   */
  t(key: unknown, options: Handlebars.HelperOptions): Handlebars.SafeString | string {
    const locale = localeOf(options);
    const name = String(key);
    const values = (options?.hash ?? {}) as Record<string, unknown>;
    // The same words with the same values come out the same: worded once, then remembered.
    const id = wordedId(locale, name, values);
    const known = id === undefined ? undefined : worded.get(id);
    if (known !== undefined) return known;
    const result = wordsOf(locale, name, values, options);
    if (id !== undefined) {
      if (worded.size >= WORDED_MAX) worded.clear();
      worded.set(id, result);
    }
    return result;
  },
  /**
   * A message made by code (an error, a notice): {{text problem}} puts it into
   * the page's language; plain strings pass as they are. A bare {{text}} is
   * the context's own `text` property (Handlebars asks helpers first).
   */
  text(this: unknown, ...args: unknown[]): string {
    const options = args.at(-1) as Handlebars.HelperOptions;
    const value = args.length > 1 ? args[0] : (this as { text?: unknown } | undefined)?.text;
    if (isMessageRef(value)) return translate(localeOf(options), value.key, value.values, dateWordsFor(options));
    return value === undefined || value === null ? '' : String(value);
  },
  /** A number in the page's language: 1,234 / 1.234. A bare {{number}} is the context's own `number`. */
  number(this: unknown, ...args: unknown[]): string {
    const options = args.at(-1) as Handlebars.HelperOptions;
    const n = Number(args.length > 1 ? args[0] : (this as { number?: unknown } | undefined)?.number);
    return Number.isFinite(n) ? numberFormat(localeOf(options)).format(n) : '';
  },
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
    return new Handlebars.SafeString(`<time datetime="${iso}">${Handlebars.escapeExpression(formatDateTime(d, shownIn, localeOf(options)))}</time>`);
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
    const locale = localeOf(options);
    const exact = Handlebars.escapeExpression(formatDateTime(d, zone, locale));
    return new Handlebars.SafeString(`<time datetime="${iso}" title="${exact}">${Handlebars.escapeExpression(relativeWords(d, now, locale))}</time>`);
  },
  initials: (displayName: unknown, handle: unknown) => initialsOf(displayName, handle),
  avatarColour: (handle: unknown) => avatarColour(typeof handle === 'string' ? handle : ''),
  /** A creation form's one-time token: the one it already had (shown again after a problem), or a new one. */
  formToken(existing: unknown): string {
    if (typeof existing === 'string' && FormSubmissions.isToken(existing)) return existing;
    return randomBytes(18).toString('base64url');
  },
  /** An action's or proposal's state in words: {{statusWords "action" status}}. */
  statusWords(kind: unknown, status: unknown, options?: Handlebars.HelperOptions): string {
    const key = statusKey(kind === 'proposal' ? 'proposal' : 'action', String(status));
    return key ? translate(localeOf(options), key) : String(status).replace(/_/g, ' ');
  },
  /** 'yes' or 'no', for a message's select: {{t "…" circle=(present values.circle)}}. */
  present: (value: unknown) => (value ? 'yes' : 'no'),
  /**
   * {{#cached key}}…{{/cached}}: on a page sent from pieces (fragment-page.ts),
   * the block is taken from the fragment cache under `key`, or rendered once
   * and kept; `key` must name everything the block shows (page-fragments.ts).
   * Elsewhere, or without a key, the block is simply rendered.
   */
  cached(this: unknown, key: unknown, options: Handlebars.HelperOptions): string {
    const pieces = (options.data?.root as { fragments?: FragmentSlots } | undefined)?.fragments;
    if (typeof key !== 'string' || !pieces) return options.fn(this);
    const kept = pieces.cache.get(key);
    return fragmentMark(pieces.slots.push(kept ? { key, kept } : { key, html: options.fn(this) }) - 1);
  },
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
  displayName(person: unknown, options?: Handlebars.HelperOptions): string {
    const former = () => translate(localeOf(options), 'common.person.former_member');
    if (typeof person !== 'object' || person === null) return former();
    const p = person as { handle?: string; displayName?: string };
    return p.displayName && p.displayName.trim() !== '' ? p.displayName : (p.handle ?? former());
  },
  pagination(page: number, pageCount: number, base: string, options: Handlebars.HelperOptions): string {
    if (pageCount <= 1) return '';
    return options.fn({
      links: pageLinks(page, pageCount, base),
      previous: page > 1 ? (page - 1 === 1 ? base : `${base}?page=${page - 1}`) : null,
      next: page < pageCount ? `${base}?page=${page + 1}` : null,
    });
  },
  /** The languages a post may be written in, the form's (else the viewer's) selected: {{#each (postLanguageOptions values.language)}}. */
  postLanguageOptions: (chosen: unknown, options: Handlebars.HelperOptions) => postLanguageOptions(chosen, options?.data?.root),
  /** aria-describedby ids for a field: its hint and, when present, its error. */
  describedBy(field: string, hasHint: boolean, errors: Record<string, unknown> | undefined): string {
    const ids = [];
    if (hasHint) ids.push(`${field}-hint`);
    if (errors?.[field]) ids.push(`${field}-error`);
    return ids.join(' ');
  },
};
