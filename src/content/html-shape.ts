/**
 * A linear pre-scan of HTML before it is parsed: how deeply its elements
 * nest. Parsing and sanitising cost grows faster than linearly with depth
 * (10,000 nested `<div>`s kept a sanitiser busy for seconds), and no post
 * needs more than a few dozen levels, so deeper HTML is flattened to its text.
 */
export const MAX_HTML_DEPTH = 64;

/** Elements that never hold others, so never add a level. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * The deepest nesting of open elements, counted without a parser: every
 * opening tag that is not void or self-closed adds a level, every closing
 * tag takes one away. Sloppy HTML (unclosed `<p>`) counts deeper than a
 * parser would make it, never shallower. Stops counting once past `limit`.
 */
export function nestingDepth(html: string, limit = Number.MAX_SAFE_INTEGER): number {
  let depth = 0;
  let deepest = 0;
  let i = 0;
  for (;;) {
    const open = html.indexOf('<', i);
    if (open === -1) return deepest;
    const close = html.indexOf('>', open + 1);
    if (close === -1) return deepest;
    const next = html.charCodeAt(open + 1);
    if (next === 47 /* / */) {
      depth = Math.max(0, depth - 1);
    } else if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122)) {
      let end = open + 1;
      while (end < close && end - open < 12 && /[A-Za-z0-9]/.test(html[end]!)) end++;
      const name = html.slice(open + 1, end).toLowerCase();
      if (!VOID.has(name) && html.charCodeAt(close - 1) !== 47) {
        depth++;
        if (depth > deepest) deepest = depth;
        if (deepest > limit) return deepest;
      }
    }
    i = close + 1;
  }
}
