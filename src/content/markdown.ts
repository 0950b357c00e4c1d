import MarkdownIt from 'markdown-it';
import { sanitizeHtmlNow } from './sanitize-html.js';

export { htmlToPlainText, shorten } from './plain-text.js';

/**
 * Members write markdown; raw HTML in it is shown as text (html: false), and
 * whatever markdown-it produces still goes through the sanitiser. Runs on the
 * calling thread: only the render workers call it; everyone else uses the
 * async `renderMarkdown` of `render-pool.ts`.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true, maxNesting: 40 });

export function renderMarkdownNow(source: string): string {
  return sanitizeHtmlNow(md.render(source));
}
