import { msg } from '../../i18n/message.js';
import type { Queryable } from '../../storage/database.js';
import { findInstance } from '../../storage/repositories/instance-repository.js';
import type { FieldErrors } from '../errors.js';
import type { Member } from '../members/member.js';

/**
 * The language a post is written in (issue 13): a BCP-47 primary tag, lower
 * case ('en', 'de'). Members choose among these (each in its own name) when
 * they write; posts from other servers may carry any well-formed tag.
 * Hearth's own three come first.
 */
export const POST_LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'de', name: 'Deutsch' },
  { tag: 'es', name: 'Español' },
  { tag: 'fr', name: 'Français' },
  { tag: 'it', name: 'Italiano' },
  { tag: 'pt', name: 'Português' },
  { tag: 'nl', name: 'Nederlands' },
  { tag: 'pl', name: 'Polski' },
  { tag: 'tr', name: 'Türkçe' },
  { tag: 'uk', name: 'Українська' },
  { tag: 'ar', name: 'العربية' },
] as const;

export type PostLanguage = (typeof POST_LANGUAGES)[number]['tag'];

export function isPostLanguage(value: unknown): value is PostLanguage {
  return typeof value === 'string' && POST_LANGUAGES.some((l) => l.tag === value);
}

/** Tags that name no one language: undetermined, several, no linguistic content. */
const NO_LANGUAGE = new Set(['und', 'mul', 'zxx']);

/**
 * A language tag from elsewhere (`de`, `de-AT`, `pt_BR`, `EN`) as its primary
 * subtag in lower case; anything not shaped like one (2–3 letters, then
 * optional subtags), or naming no one language (`und`), is unknown: null.
 */
export function primaryLanguageTag(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 35) return null;
  const match = /^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$/.exec(value.trim());
  const tag = match ? match[1]!.toLowerCase() : null;
  return tag === null || NO_LANGUAGE.has(tag) ? null : tag;
}

/**
 * The language a member's post is in: the one chosen on the form, else
 * `fallback` (the author's language, or the instance's). A tag Hearth does
 * not offer is a field problem.
 */
export function chosenPostLanguage(errors: FieldErrors, given: string | undefined, fallback: string | null): string | null {
  const tag = (given ?? '').trim().toLowerCase();
  if (tag === '') return fallback;
  if (isPostLanguage(tag)) return tag;
  errors.language = msg('content.post_language.unknown');
  return fallback;
}

/** What a member writes in unless they choose otherwise: their own language, else the instance's. */
export async function authorLanguage(q: Queryable, author: Pick<Member, 'language'>): Promise<string | null> {
  return author.language ?? (await findInstance(q))?.language ?? null;
}
