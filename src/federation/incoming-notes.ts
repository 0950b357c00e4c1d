import type { ApexObject } from 'activitypub-express';
import { sanitizeHtml } from '../content/sanitize-html.js';
import type { IncomingPost } from '../domain/threads/remote-post-service.js';
import type { RemoteActorProfile } from '../storage/repositories/remote-actor-repository.js';

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
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
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

/** A Note from another server as a post Hearth can keep: sanitised, with its content warning. */
export function incomingPost(note: Record<string, unknown>, actor: ApexObject): IncomingPost | undefined {
  const apId = typeof note.id === 'string' ? note.id : undefined;
  const content = firstString(note.content) ?? firstString(firstObject(note.contentMap) ? Object.values(firstObject(note.contentMap)!)[0] : undefined);
  if (!apId || !content) return undefined;
  // A note is believed only from its author's server.
  if (new URL(apId).origin !== new URL(actor.id).origin) return undefined;
  const summary = firstString(note.summary);
  const published = new Date(firstString(note.published) ?? Date.now());
  return {
    apId,
    author: remoteProfile(actor),
    html: sanitizeHtml(content),
    contentWarning: summary && summary.trim() !== '' ? summary.replace(/<[^>]*>/g, '').trim() : null,
    published,
  };
}
