import type { Request, Response } from 'express';
import { DEFAULT_LOCALE, DIRECTION, isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../i18n/locales.js';
import type { MessageKey } from '../i18n/messages/index.js';
import type { MessageValues } from '../i18n/message.js';
import { textIn, textsIn, translate, type DateWords, type Text } from '../i18n/translate.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../domain/time-zones.js';

/**
 * Which language a page is in, decided once per request:
 *   a member's own choice (settings) → a visitor's choice from the switch
 *   (a cookie) → the browser's `Accept-Language` → the instance's language.
 * The layout writes it as `<html lang dir>`; every `{{t}}` and date on the
 * page follows it.
 */
export const LANGUAGE_COOKIE = 'hearth.lang';
const ONE_YEAR_MS = 365 * 86_400_000;

function cookieLanguage(req: Request): Locale | undefined {
  const match = /(?:^|;\s*)hearth\.lang=([a-z]{2,3})(?:;|$)/.exec(req.headers.cookie ?? '');
  return match && isLocale(match[1]) ? match[1] : undefined;
}

/** The browser's first language Hearth speaks (`de-AT` is German), if any. */
export function browserLanguage(req: Request): Locale | undefined {
  // No header at all means "anything": that is no choice, so the instance's language applies.
  if (!req.headers['accept-language']) return undefined;
  const found = req.acceptsLanguages(...LOCALES);
  if (isLocale(found)) return found;
  // Negotiator matches "de-AT" to "de" only one way round: try each asked-for language's own prefix.
  const header = String(req.headers['accept-language'] ?? '');
  for (const part of header.split(',')) {
  const [tag, q] = part.trim().split(';q=');
  if (q !== undefined && Number(q) === 0) continue;
  const base = tag?.toLowerCase().split('-')[0];
  if (isLocale(base)) return base;
  }
  return undefined;
}

/** What a visitor (not a member) reads in, before the instance is known: '' means "the instance's language". */
export function visitorLanguageChoice(req: Request): Locale | '' {
  return cookieLanguage(req) ?? browserLanguage(req) ?? '';
}

export function chooseLocale(req: Request, memberLanguage: Locale | null | undefined, instanceLanguage: Locale | undefined): Locale {
  return memberLanguage ?? cookieLanguage(req) ?? browserLanguage(req) ?? instanceLanguage ?? DEFAULT_LOCALE;
}

/** The page's language (set for every request by `languageOfPage`). */
export function localeOf(res: Response): Locale {
  const locale: unknown = res.locals.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** Words from the catalogue in the page's language, for routes that need them outside a template. */
export function tr(res: Response, key: MessageKey, values?: MessageValues): string {
  return translate(localeOf(res), key, values, dateWords(res));
}

/** Dates inside messages as the page writes them: the viewer's zone, the page's language. */
function dateWords(res: Response): DateWords {
  const zone: unknown = res.locals.viewerTimeZone;
  const locale = localeOf(res);
  return (at) => formatDateTime(at, typeof zone === 'string' ? zone : DEFAULT_TIME_ZONE, locale);
}

/** A message made by code (an error, a notice) in the page's language. */
export function trText(res: Response, text: Text): string {
  return textIn(localeOf(res), text, dateWords(res));
}

export function trTexts<K extends string>(res: Response, texts: Record<K, Text>): Record<K, string> {
  return textsIn(localeOf(res), texts, dateWords(res));
}

/** Only a path on this site: never another host ("//evil", "https://…"). */
export function safeBackPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 2000 ? value : '/';
}

/** Keeps a choice from the switch (visitors have no account to keep it in). */
export function rememberLanguage(res: Response, locale: Locale): void {
  res.cookie(LANGUAGE_COOKIE, locale, { maxAge: ONE_YEAR_MS, sameSite: 'lax', httpOnly: true, path: '/' });
}

/**
 * Sets `res.locals.locale`, `dir` and the switch's `languages` (each
 * language in its own name, with a link for visitors).
 */
export function setPageLanguage(req: Request, res: Response, instanceLanguage: Locale | undefined): void {
  const locale = chooseLocale(req, req.user?.language, instanceLanguage);
  res.locals.locale = locale;
  res.locals.dir = DIRECTION[locale];
  const back = req.originalUrl;
  res.locals.languages = LOCALES.map((l) => ({
    code: l,
    name: LOCALE_NAMES[l],
    current: l === locale,
    href: `/language/${l}?back=${encodeURIComponent(back)}`,
  }));
  // Pages differ by these: caches in between must not mix languages.
  res.vary('Accept-Language');
}
