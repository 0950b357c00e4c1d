/**
 * A render worker (run by `render-pool.ts` on its own thread): markdown and
 * HTML sanitising, which parse untrusted input, never run on the event loop.
 */
import { findMentionsNow, renderMarkdownNow } from './markdown.js';
import type { MentionLinks } from './mentions.js';
import { sanitizeHtmlNow } from './sanitize-html.js';

export function sanitize(html: string): string {
  return sanitizeHtmlNow(html);
}

export function markdown(input: string | { source: string; mentions?: MentionLinks }): string {
  return typeof input === 'string' ? renderMarkdownNow(input) : renderMarkdownNow(input.source, input.mentions);
}

export function mentions(source: string): string[] {
  return findMentionsNow(source);
}
