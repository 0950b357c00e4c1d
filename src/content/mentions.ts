import type { Env, MarkdownIt, StateCore, Token } from 'markdown-it';

/**
 * @mentions in members' markdown: `@handle` (a member here) and
 * `@user@other.server` (someone elsewhere). This module only finds them and,
 * given who exists (`MentionLinks`, decided by the domain beforehand), turns
 * them into links; it knows nobody. Mentions are looked for in text only:
 * never in code spans or blocks, link text, image descriptions, e-mail
 * addresses (`bob@example.org`: the @ follows a letter) or URLs (`/@bob`),
 * and `\@alice` stays text.
 */

/** Normalised mention (`alice`, `bob@example.org`) → the link it becomes. Mentions not in it stay text. */
export type MentionLinks = Readonly<Record<string, string>>;

/** At most this many different mentions are found in one text; the rest stay text. */
export const MAX_MENTIONS_FOUND = 50;

const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
/**
 * `@` not after a letter, digit, `_`, `/`, `@`, `.`, `+` or `-`; a user name
 * (letters, digits, `_`, and `.`/`-` inside); optionally `@` and a host with
 * at least one dot (and a port, which only tests' loopback servers have); not
 * followed by a letter or digit. Every repetition is bounded.
 */
const MENTION = new RegExp(
  `(?<![\\p{L}\\p{N}_/@.+-])@([a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?)(?:@(${LABEL}(?:\\.${LABEL}){1,10}(?::\\d{1,5})?))?(?![\\p{L}\\p{N}_@])`,
  'giu',
);

/** The key a mention has in `MentionLinks`: lower case, `user` or `user@host`. */
export function mentionKey(user: string, host: string | undefined): string {
  return host === undefined ? user.toLowerCase() : `${user.toLowerCase()}@${host.toLowerCase()}`;
}

interface MentionEnv extends Env {
  mentionLinks?: MentionLinks;
  mentionsFound?: Set<string>;
}


function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function splitText(state: StateCore, token: Token, env: MentionEnv, out: Token[]): void {
  const text = token.content;
  let last = 0;
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(text); m !== null; m = MENTION.exec(text)) {
    const key = mentionKey(m[1]!, m[2]);
    if (env.mentionsFound && (env.mentionsFound.has(key) || env.mentionsFound.size < MAX_MENTIONS_FOUND)) env.mentionsFound.add(key);
    const href = env.mentionLinks && Object.prototype.hasOwnProperty.call(env.mentionLinks, key) ? env.mentionLinks[key] : undefined;
    if (m.index > last) {
      const before = new state.Token('text', '', 0);
      before.content = text.slice(last, m.index);
      out.push(before);
    }
    if (href !== undefined) {
      const open = new state.Token('link_open', 'a', 1);
      open.attrs = [['href', href], ['class', 'u-url mention']];
      open.markup = 'mention';
      const inner = new state.Token('text', '', 0);
      inner.content = m[0];
      const close = new state.Token('link_close', 'a', -1);
      close.markup = 'mention';
      out.push(open, inner, close);
    } else {
      // Stays text, and out of linkify's reach (which would make `bob@example.org` a mailto: link).
      const plain = new state.Token('mention_text', '', 0);
      plain.content = m[0];
      out.push(plain);
    }
    last = m.index + m[0].length;
  }
  if (last === 0) {
    out.push(token);
    return;
  }
  if (last < text.length) {
    const after = new state.Token('text', '', 0);
    after.content = text.slice(last);
    out.push(after);
  }
}

/** The markdown-it plugin: a core rule after inline parsing, before linkify. */
export function mentionsPlugin(md: MarkdownIt): void {
  md.core.ruler.before('linkify', 'mention', (state) => {
    const env = (state.env ?? {}) as MentionEnv;
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children || !block.content.includes('@')) continue;
      const out: Token[] = [];
      let inLink = 0;
      for (const token of block.children) {
        if (token.type === 'link_open') inLink += 1;
        else if (token.type === 'link_close') inLink -= 1;
        if (token.type === 'text' && inLink === 0 && token.content.includes('@')) splitText(state, token, env, out);
        else out.push(token);
      }
      block.children = out;
    }
  });
  md.renderer.rules.mention_text = (tokens, idx) => escapeHtml(tokens[idx]!.content);
}

/** Renders with the mentions in `links` as links (used by `markdown.ts`); without, every mention stays text. */
export function mentionEnv(links: MentionLinks | undefined): MentionEnv {
  return links ? { mentionLinks: links } : {};
}

/** The mentions `md` finds in `source`, normalised, in order of first appearance (at most MAX_MENTIONS_FOUND). */
export function findMentionsWith(md: MarkdownIt, source: string): string[] {
  if (!source.includes('@')) return [];
  const env: MentionEnv = { mentionsFound: new Set() };
  md.parse(source, env);
  return [...env.mentionsFound!];
}
