import type { Request } from 'express';
import type { RemotePostService } from '../domain/threads/remote-post-service.js';
import type { Services } from '../services.js';
import { INSTANCE_ACTOR_NAME } from './apex-setup.js';

function ids(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .map((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined))
    .filter((v): v is string => typeof v === 'string');
}

/**
 * Decides which of Hearth's actors an incoming activity is for. Personal
 * inboxes name it; the shared inbox looks at what the activity is about: a
 * local actor it follows or addresses, a circle in its audience, or a post it
 * replies to, likes or changes. Anything else goes to the instance actor.
 */
export class InboxRouter {
  constructor(
    private readonly origin: string,
    private readonly services: Omit<Services, 'followed'>,
    private readonly remotePosts: RemotePostService,
  ) {}

  async recipientFor(req: Request, activity: Record<string, unknown>): Promise<string | undefined> {
    if (req.params.slug) return `c/${req.params.slug}`;
    if (req.params.handle) return req.params.handle;
    if (req.path === '/actor/inbox') return INSTANCE_ACTOR_NAME;

    const object = Array.isArray(activity.object) ? activity.object[0] : activity.object;
    const objectRecord = typeof object === 'object' && object !== null ? (object as Record<string, unknown>) : {};
    const candidates = [
      ...ids(activity.object),
      ...ids(activity.audience),
      ...ids(objectRecord.audience),
      ...ids(activity.to),
      ...ids(activity.cc),
      ...ids(objectRecord.to),
      ...ids(objectRecord.cc),
      ...ids(objectRecord.inReplyTo),
      ...ids(objectRecord.object),
      ...(Array.isArray(objectRecord.tag) ? objectRecord.tag : [])
        .map((t) => (typeof t === 'object' && t !== null ? (t as { href?: unknown }).href : undefined))
        .filter((h): h is string => typeof h === 'string'),
    ];
    for (const iri of candidates) {
      const name = await this.localName(iri);
      if (name) return name;
    }
    return INSTANCE_ACTOR_NAME;
  }

  /** The apex name of the local actor an IRI points at (directly, or through a post). */
  private async localName(iri: string): Promise<string | undefined> {
    if (iri.startsWith(`${this.origin}/`)) {
      const path = iri.slice(this.origin.length);
      const circle = /^\/c\/([a-z][a-z0-9_]{1,29})(?:\/followers)?$/.exec(path);
      if (circle) return `c/${circle[1]}`;
      const member = /^\/u\/([a-z][a-z0-9_]{1,29})$/.exec(path);
      if (member) return member[1];
    }
    const post = await this.remotePosts.findByIri(iri, (id) => `${this.origin}/p/${id}`);
    if (!post) return undefined;
    const { circle } = await this.services.threads.locate(post.id, undefined).catch(() => ({ circle: undefined }));
    return circle && circle.visibility === 'public' ? `c/${circle.slug}` : undefined;
  }
}
