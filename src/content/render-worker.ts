/**
 * A render worker (run by `render-pool.ts` on its own thread): markdown and
 * HTML sanitising, which parse untrusted input, never run on the event loop.
 */
import { renderMarkdownNow } from './markdown.js';
import { sanitizeHtmlNow } from './sanitize-html.js';

export function sanitize(html: string): string {
  return sanitizeHtmlNow(html);
}

export function markdown(source: string): string {
  return renderMarkdownNow(source);
}
