import MarkdownIt from 'markdown-it';
import { findMentionsWith, mentionEnv, mentionsPlugin, type MentionLinks } from './mentions.js';
import { sanitizeHtmlNow } from './sanitize-html.js';

export { htmlToPlainText, shorten } from './plain-text.js';

/**
 * Members write markdown; raw HTML in it is shown as text (html: false), and
 * whatever markdown-it produces still goes through the sanitiser. Runs on the
 * calling thread: only the render workers call it; everyone else uses the
 * async `renderMarkdown` of `render-pool.ts`.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true, maxNesting: 40 }).use(mentionsPlugin);

/** `mentions`: the @mentions that become links (who exists was decided before); the others stay text. */
export function renderMarkdownNow(source: string, mentions?: MentionLinks): string {
  return sanitizeHtmlNow(md.render(source, mentionEnv(mentions)));
}

/** The @mentions in a member's markdown (`alice`, `bob@example.org`), as `renderMarkdownNow` would see them. */
export function findMentionsNow(source: string): string[] {
  return findMentionsWith(md, source);
}
