import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { JSDOM } from 'jsdom';
import { MAX_HTML_DEPTH, nestingDepth } from './html-shape.js';
import { htmlToPlainText } from './plain-text.js';

/**
 * The one sanitiser for HTML that reaches a page: members' rendered markdown
 * and HTML arriving from other servers. An allowlist of what forum posts need;
 * links only to http(s)/mailto or this site, with rel="nofollow noopener ugc";
 * images only over https, lazy and without a referrer.
 *
 * This module parses HTML and runs on the calling thread: only the render
 * workers (`render-worker.ts`) call it. Everyone else uses the async
 * `sanitizeHtml` of `render-pool.ts`, which keeps the event loop free.
 */
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'b', 'em', 'i', 'del', 's', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'a', 'img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'class', 'start', 'align'];
/** Classes Mastodon uses to mark mentions, hashtags and shortened links. */
const ALLOWED_CLASSES = new Set(['h-card', 'mention', 'hashtag', 'u-url', 'invisible', 'ellipsis']);

const SAFE_LINK = /^(?:https?:|mailto:|\/(?!\/)|#)/i;
const SAFE_IMAGE = /^(?:https:|\/(?!\/))/i;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
};

let purifier: DOMPurify | undefined;

function stripControl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
}

function build(): DOMPurify {
  const { window } = new JSDOM('');
  // jsdom's window is not typed as the DOM's WindowLike; it is one.
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'A') {
      const href = el.getAttribute('href');
      if (href !== null && !SAFE_LINK.test(stripControl(href))) el.removeAttribute('href');
      el.setAttribute('rel', 'nofollow noopener ugc');
      el.removeAttribute('target');
    }
    if (el.tagName === 'IMG') {
      const src = el.getAttribute('src');
      if (src === null || !SAFE_IMAGE.test(stripControl(src))) {
        el.remove();
        return;
      }
      el.setAttribute('loading', 'lazy');
      el.setAttribute('referrerpolicy', 'no-referrer');
    }
    if (el.hasAttribute('class')) {
      const kept = (el.getAttribute('class') ?? '').split(/\s+/).filter((c) => ALLOWED_CLASSES.has(c));
      if (kept.length > 0) el.setAttribute('class', kept.join(' '));
      else el.removeAttribute('class');
    }
  });
  return purify;
}

/** More than any post needs (a 20,000-character post renders to well under this). */
export const MAX_HTML_LENGTH = 400_000;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Sanitises on this thread. HTML nested deeper than MAX_HTML_DEPTH or longer
 * than MAX_HTML_LENGTH is not parsed at all: it becomes one paragraph of its
 * text (found in one linear pass), so its cost stays bounded.
 */
export function sanitizeHtmlNow(html: string): string {
  const input = String(html ?? '');
  if (input.length > MAX_HTML_LENGTH || nestingDepth(input, MAX_HTML_DEPTH) > MAX_HTML_DEPTH) {
    const text = htmlToPlainText(input.slice(0, MAX_HTML_LENGTH));
    return text === '' ? '' : `<p>${escapeText(text)}</p>`;
  }
  purifier ??= build();
  // DOMPurify adds loading/referrerpolicy after its own attribute checks, in the hook above.
  return purifier.sanitize(input, CONFIG) as string;
}
