import MarkdownIt from 'markdown-it';
import { sanitizeHtml } from './sanitize-html.js';

/**
 * Members write markdown; raw HTML in it is shown as text (html: false), and
 * whatever markdown-it produces still goes through the sanitiser.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source));
}

/** Readable text from HTML, for excerpts and page descriptions. */
export function htmlToPlainText(html: string, maxLength?: number): string {
  const text = html
    .replace(/<(?:br|\/p|\/li|\/h\d|\/blockquote|\/pre)\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (maxLength === undefined || text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
