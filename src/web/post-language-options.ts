import { POST_LANGUAGES } from '../domain/threads/post-language.js';

export interface PostLanguageOption {
  tag: string;
  /** The language in its own name. */
  name: string;
  selected: boolean;
}

/**
 * The choices of a post's language (partials/post-language.hbs): the one
 * chosen on the form (kept after a refusal, or the post's own on an edit),
 * else the viewer's language, else the instance's (as the domain decides
 * when the form names none).
 */
export function postLanguageOptions(chosen: unknown, root: unknown): PostLanguageOption[] {
  const page = (root ?? {}) as { viewer?: { language?: unknown } | null; instance?: { language?: unknown } | null };
  const wanted = [chosen, page.viewer?.language, page.instance?.language].find((v) => typeof v === 'string' && POST_LANGUAGES.some((l) => l.tag === v));
  return POST_LANGUAGES.map((l) => ({ tag: l.tag, name: l.name, selected: l.tag === wanted }));
}
