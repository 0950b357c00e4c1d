import type { Apex } from 'activitypub-express';
import { ValidationError } from '../domain/errors.js';
import type { RemoteGroups } from '../domain/followed/followed-circle-service.js';
import type { Member } from '../domain/members/member.js';
import type { RemoteCircle } from '../storage/repositories/remote-circle-repository.js';
import { firstObject, firstString } from './incoming-notes.js';
import type { LocalActors } from './local-actors.js';
import type { FetchPolicy } from './safe-fetch.js';
import { selfLink, webfinger } from './webfinger.js';
import { parseUrl } from '../domain/urls.js';
import { msg } from '../i18n/message.js';

const NOT_FOUND = msg('circles.error.no_circle_at_address');

/** Finding circles (Groups) on other servers by @name@host or link, and following them as a member. */
export class ApexRemoteGroups implements RemoteGroups {
  constructor(
    private readonly apex: Apex,
    private readonly localActors: LocalActors,
    private readonly policy: FetchPolicy,
    private readonly onQueued: () => void,
  ) {}

  async lookup(query: string): Promise<Omit<RemoteCircle, 'id'>> {
    const iri = await this.actorIri(query);
    let group;
    try {
      group = await this.apex.requestObject(iri);
    } catch (error) {
      // Unreachable, refused or not JSON: for the person it is all the same answer.
      if (error instanceof Error) throw new ValidationError({ q: NOT_FOUND });
      throw error;
    }
    const type = firstString(group?.type);
    if (!group || type !== 'Group') throw new ValidationError({ q: msg('circles.error.not_a_circle') });
    const inbox = firstString(group.inbox);
    if (!inbox) throw new ValidationError({ q: NOT_FOUND });
    if (!(await this.apex.store.saveObject(structuredClone(group)))) await this.apex.store.updateObject(structuredClone(group), null, true);
    return {
      iri: group.id,
      host: new URL(group.id).host,
      handle: firstString(group.preferredUsername) ?? group.id.split('/').pop() ?? 'circle',
      name: (firstString(group.name) ?? firstString(group.preferredUsername) ?? '').slice(0, 200),
      summary: (firstString(group.summary) ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 1000),
      inbox,
      sharedInbox: firstString(firstObject(group.endpoints)?.sharedInbox) ?? null,
    };
  }

  async follow(member: Member, group: RemoteCircle): Promise<string> {
    const actor = await this.localActors.member(member.handle);
    const follow = await this.apex.buildActivity('Follow', actor.id, group.iri, { object: group.iri });
    await this.apex.addToOutbox(actor, follow);
    this.onQueued();
    return follow.id;
  }

  /** @name@host through WebFinger, or a link to the circle itself. */
  private async actorIri(query: string): Promise<string> {
    const acct = /^@?([^@\s/]+)@([^@\s/]+)$/.exec(query);
    if (!acct) {
      const url = parseUrl(query);
      if (url && (url.protocol === 'https:' || (url.protocol === 'http:' && this.policy.allowHttp))) return url.href;
      throw new ValidationError({ q: msg('circles.error.type_address') });
    }
    const [, name, host] = acct;
    const jrd = await webfinger(name!, host!, this.policy);
    const self = jrd && selfLink(jrd);
    if (self) return self;
    throw new ValidationError({ q: NOT_FOUND });
  }
}
