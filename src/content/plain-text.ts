/**
 * Plain text from HTML in one pass, for excerpts, titles, reports and
 * content warnings. Linear on any input: a `<` without a later `>` ends the
 * search for tags (nothing after it can be a tag either), so 200,000 `<`
 * cost the same as 200,000 letters.
 */
const BREAKING = new Set(['br', '/p', '/li', '/h1', '/h2', '/h3', '/h4', '/h5', '/h6', '/blockquote', '/pre']);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", amp: '&', nbsp: ' ' };

function tagName(html: string, start: number, end: number): string {
  let i = start + 1;
  let name = '';
  if (html[i] === '/') {
    name = '/';
    i++;
  }
  while (i < end && name.length < 12) {
    const c = html.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum) break;
    name += html[i]!.toLowerCase();
    i++;
  }
  return name;
}

export function htmlToPlainText(html: string, maxLength?: number): string {
  const parts: string[] = [];
  let i = 0;
  let noMoreTags = false;
  while (i < html.length) {
    const open = noMoreTags ? -1 : html.indexOf('<', i);
    if (open === -1) {
      parts.push(html.slice(i));
      break;
    }
    const close = html.indexOf('>', open + 1);
    if (close === -1) {
      // No tag can close after here: the rest is text.
      noMoreTags = true;
      parts.push(html.slice(i));
      break;
    }
    parts.push(html.slice(i, open));
    if (BREAKING.has(tagName(html, open, close))) parts.push(' ');
    i = close + 1;
  }
  const text = parts
    .join('')
    .replace(/&(lt|gt|quot|#39|#x27|amp|nbsp);/g, (_m, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
  return maxLength === undefined ? text : shorten(text, maxLength);
}

/** At most `maxLength` characters, cut at a word where one is near, with an ellipsis. */
export function shorten(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
