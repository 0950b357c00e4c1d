import { IntlMessageFormat } from 'intl-messageformat';
import { DEFAULT_LOCALE, type Locale } from './locales.js';
import { isMessageRef, type MessageRef, type MessageValues } from './message.js';
import { MESSAGES, type MessageKey } from './messages/index.js';

/**
 * Puts messages into a language: ICU MessageFormat (plurals, selects,
 * numbers) through FormatJS's intl-messageformat, each message parsed once
 * per language and kept. Sentences are whole messages with placeholders,
 * never glued together from pieces.
 */
const compiled = new Map<string, IntlMessageFormat>();

export class MissingMessageError extends Error {
  constructor(readonly key: string) {
    super(`No message "${key}" in Hearth's catalogues`);
    this.name = 'MissingMessageError';
  }
}

export function hasMessage(key: string): key is MessageKey {
  return MESSAGES[DEFAULT_LOCALE][key] !== undefined;
}

function formatter(locale: Locale, key: string): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    const source = MESSAGES[locale][key] ?? MESSAGES[DEFAULT_LOCALE][key];
    if (source === undefined) throw new MissingMessageError(key);
    format = new IntlMessageFormat(source, locale);
    compiled.set(id, format);
  }
  return format;
}

type Formattable = Record<string, string | number | Date | ((chunks: unknown[]) => string)>;

/**
 * How dates given as values are written: the caller knows the reader's zone
 * (a page: the viewer's; an e-mail: the recipient's). Without it, a date is
 * written as ICU writes it in the server's zone.
 */
export type DateWords = (at: Date) => string;

/** Messages inside a message's values, in the same language; dates in words. */
function resolved(locale: Locale, values: MessageValues | undefined, dates: DateWords | undefined, escape?: (text: string) => string): Formattable | undefined {
  if (!values) return undefined;
  const out: Formattable = {};
  for (const [name, value] of Object.entries(values)) {
    const plain = isMessageRef(value) ? translate(locale, value.key, value.values, dates) : value instanceof Date && dates ? dates(value) : value;
    out[name] = escape && typeof plain === 'string' ? escape(plain) : plain;
  }
  return out;
}

/** Plain words (no markup): what a message says in `locale`. */
export function translate(locale: Locale, key: MessageKey | string, values?: MessageValues, dates?: DateWords): string {
  const result = formatter(locale, key).format<string>(resolved(locale, values, dates));
  return Array.isArray(result) ? result.join('') : String(result);
}

/** The tags a message may hold, each made into HTML around its (already escaped) words. */
export type TagRenderer = (chunks: string) => string;

/**
 * A message with markup (`<strong>…</strong>`, `<link>…</link>`): values are
 * escaped by `escape` before formatting, and each tag is made by `tags`.
 * Catalogue text itself is the project's own and checked by a test to hold
 * no markup other than these tags.
 */
export function translateRich(
  locale: Locale,
  key: MessageKey | string,
  values: MessageValues,
  tags: Record<string, TagRenderer>,
  escape: (text: string) => string,
  dates?: DateWords,
): string {
  const safeValues = resolved(locale, values, dates, escape) ?? {};
  for (const [name, render] of Object.entries(tags)) safeValues[name] = (chunks: unknown[]) => render(chunks.map(String).join(''));
  const result = formatter(locale, key).format<string>(safeValues);
  return Array.isArray(result) ? result.join('') : String(result);
}

/** Whether a message holds tags (and so needs `translateRich`). */
export function hasTags(locale: Locale, key: string): boolean {
  const source = MESSAGES[locale][key] ?? MESSAGES[DEFAULT_LOCALE][key] ?? '';
  return /<[a-z][a-z0-9]*>/i.test(source);
}

/** Words that are either a message or (rarely) already words: people's own names, a remote server's text. */
export type Text = MessageRef | string;

/** A `Text` in `locale`. */
export function textIn(locale: Locale, text: Text, dates?: DateWords): string {
  return isMessageRef(text) ? translate(locale, text.key, text.values, dates) : text;
}

/** Every field's problem in `locale`. */
export function textsIn<K extends string>(locale: Locale, texts: Record<K, Text>, dates?: DateWords): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const [field, text] of Object.entries(texts) as Array<[K, Text]>) out[field] = textIn(locale, text, dates);
  return out;
}
