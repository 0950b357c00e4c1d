import type { ApexObject } from 'activitypub-express';
import { htmlToPlainText } from '../content/plain-text.js';
import { sanitizeHtml } from '../content/render-pool.js';
import { LIMITS } from '../domain/limits.js';
import { primaryLanguageTag } from '../domain/threads/post-language.js';
import type { IncomingPost } from '../domain/threads/remote-post-service.js';
import type { RemoteActorProfile } from '../storage/repositories/remote-actor-repository.js';
import { parseUrl } from '../domain/urls.js';

/** apex keeps every property as an array; the first value, if it is of the wanted kind. */
export function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
}

export function firstObject(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function httpsUrl(value: unknown): string | null {
  const s = firstString(value) ?? firstString(firstObject(value)?.href) ?? firstString(firstObject(value)?.url);
  if (!s) return null;
  const u = parseUrl(s);
  return u && (u.protocol === 'https:' || u.protocol === 'http:') ? u.href : null;
}

/** What Hearth shows of a remote actor, read defensively from its document. */
export function remoteProfile(actor: ApexObject): RemoteActorProfile {
  const iri = actor.id;
  const host = new URL(iri).host;
  const handle = (firstString(actor.preferredUsername) ?? iri.split('/').pop() ?? 'someone').slice(0, 100);
  const name = (firstString(actor.name) ?? '').replace(/\s+/g, ' ').trim().slice(0, 100);
  const icon = firstObject(actor.icon);
  return {
    iri,
    host,
    handle,
    displayName: name,
    profileUrl: httpsUrl(actor.url) ?? iri,
    avatarUrl: icon ? (httpsUrl(icon.url)?.startsWith('https:') ? httpsUrl(icon.url) : null) : null,
  };
}

/**
 * Remote HTML longer than this is not even sanitised: after sanitising, a
 * post may be at most LIMITS.body * 2 characters, and markup rarely more than
 * doubles that.
 */
export const MAX_REMOTE_CONTENT = LIMITS.body * 5;

/** At most this many Mention tags of a Note are read. */
const MAX_MENTION_TAGS = 50;

/**
 * The members of this instance a Note mentions: the handles of its Mention
 * tags whose href is one of our members' actors (`ORIGIN/u/HANDLE`). Whether
 * such a member exists is the domain's to decide.
 */
export function mentionedLocalHandles(note: Record<string, unknown>, origin: string): string[] {
  const tags = Array.isArray(note.tag) ? note.tag : note.tag === undefined ? [] : [note.tag];
  const handles = new Set<string>();
  for (const t of tags.slice(0, MAX_MENTION_TAGS)) {
    const tag = firstObject(t);
    if (firstString(tag?.type) !== 'Mention') continue;
    const href = firstString(tag?.href) ?? firstString(firstObject(tag?.href)?.id);
    const m = href?.startsWith(`${origin}/u/`) ? /^\/u\/([a-z][a-z0-9_]{0,29})$/.exec(href.slice(origin.length)) : null;
    if (m) handles.add(m[1]!);
  }
  return [...handles];
}

/** The `@language` a JSON-LD `@context` (a string, an object or a list of them) sets, if any. */
function contextLanguage(context: unknown): unknown {
  for (const entry of Array.isArray(context) ? context.slice(0, 10) : [context]) {
    if (typeof entry === 'object' && entry !== null && '@language' in entry) return (entry as Record<string, unknown>)['@language'];
  }
  return undefined;
}

/**
 * The content of a Note and the language it says it is in. The language is
 * `contentMap`'s key: its only one, or the one whose text is `content` (or,
 * without `content`, the first, whose text is then the content); else a
 * `@language` in its `@context`, else a top-level `language`. Only a
 * well-formed tag counts (its primary subtag: `pt-BR` is `pt`); anything else
 * is not known (null).
 */
export function noteContent(note: Record<string, unknown>): { content: string | undefined; language: string | null } {
  const entries: Array<[string, string]> = [];
  for (const [tag, value] of Object.entries(firstObject(note.contentMap) ?? {}).slice(0, 20)) {
    const text = firstString(value);
    if (text !== undefined) entries.push([tag, text]);
  }
  const plain = firstString(note.content);
  const content = plain ?? entries[0]?.[1];
  const fromMap = entries.length === 1 ? entries[0]![0] : entries.find(([, text]) => text === content)?.[0];
  const language = primaryLanguageTag(fromMap) ?? primaryLanguageTag(contextLanguage(note['@context'])) ?? primaryLanguageTag(firstString(note.language));
  return { content, language };
}

/**
 * A Note from another server as a post Hearth can keep: sanitised (in the
 * render workers, off the event loop), with its content warning as plain
 * text. Callers check first that the Note concerns something here.
 */
export async function incomingPost(note: Record<string, unknown>, actor: ApexObject, origin?: string): Promise<IncomingPost | undefined> {
  const apId = typeof note.id === 'string' ? note.id : undefined;
  const { content, language } = noteContent(note);
  if (!apId || !content || content.length > MAX_REMOTE_CONTENT) return undefined;
  // A note is believed only from its author's server.
  if (new URL(apId).origin !== new URL(actor.id).origin) return undefined;
  const summary = firstString(note.summary);
  const published = new Date(firstString(note.published) ?? Date.now());
  return {
    apId,
    author: remoteProfile(actor),
    html: await sanitizeHtml(content),
    contentWarning: summary && summary.trim() !== '' ? htmlToPlainText(summary.slice(0, LIMITS.contentWarning * 10), LIMITS.contentWarning) || null : null,
    published,
    language,
    ...(origin ? { mentionedHandles: mentionedLocalHandles(note, origin) } : {}),
  };
}
