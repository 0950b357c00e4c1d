import Handlebars from 'handlebars';
import type { Circle } from '../../domain/circles/circle.js';
import { AVATAR_CONTENT_TYPE } from '../../content/avatar-image.js';
import { avatarPath, type Member } from '../../domain/members/member.js';
import type { ActorIris } from '../actor-iris.js';
import { HEARTH_CONTEXT } from '../vocabulary.js';

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${Handlebars.escapeExpression(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function keyOf(id: string, publicKeyPem: string) {
  return { id: `${id}#main-key`, owner: id, publicKeyPem };
}

/**
 * A circle as a Group actor (FEP-1b12). Public circles accept followers at
 * once; members-only circles say they approve followers by hand and never
 * publish their content.
 */
export function serializeGroup(circle: Circle, iris: ActorIris, publicKeyPem: string): Record<string, unknown> {
  const id = iris.circle(circle.slug);
  return {
    '@context': HEARTH_CONTEXT,
    id,
    type: 'Group',
    preferredUsername: circle.slug,
    name: circle.name,
    summary: paragraphs(circle.purpose),
    url: id,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    followers: `${id}/followers`,
    endpoints: { sharedInbox: iris.sharedInbox() },
    publicKey: keyOf(id, publicKeyPem),
    manuallyApprovesFollowers: circle.visibility !== 'public',
    discoverable: circle.visibility === 'public',
    postingRestrictedToMods: false,
    published: circle.createdAt.toISOString(),
  };
}

/**
 * A member as a Person actor: only what they chose to share. A member whose
 * profile is unlisted (their page answers 404) is served only what other
 * servers need to check the signatures of what they send (their posts,
 * reactions, follows, leaving): id, type, handle (already in the URL),
 * inbox and key; no name, bio, join date, links to collections or profile.
 */
export function serializePerson(member: Member, iris: ActorIris, publicKeyPem: string): Record<string, unknown> {
  const id = iris.member(member.handle);
  if (!member.profileListed) return serializeUnlistedPerson(member, iris, publicKeyPem, false);
  return {
    '@context': HEARTH_CONTEXT,
    id,
    type: 'Person',
    preferredUsername: member.handle,
    name: member.displayName.trim() === '' ? member.handle : member.displayName,
    summary: paragraphs(member.bio),
    url: id,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    followers: `${id}/followers`,
    following: `${id}/following`,
    endpoints: { sharedInbox: iris.sharedInbox() },
    publicKey: keyOf(id, publicKeyPem),
    manuallyApprovesFollowers: false,
    // Off until the member chooses otherwise (Privacy in their settings).
    discoverable: member.profileListed && member.discoverable,
    indexable: member.profileListed && member.federatePosts && member.indexable,
    published: member.createdAt.toISOString(),
    // Their picture, when they chose one (served by Hearth: no metadata, a square WebP).
    ...(member.avatarVersion
      ? { icon: { type: 'Image', mediaType: AVATAR_CONTENT_TYPE, url: new URL(avatarPath(member.handle, member.avatarVersion)!, id).href } }
      : {}),
  };
}

/**
 * What an unlisted member's actor shows: enough to verify them, nothing about
 * them. apex's own stored copy (`forStore`, never served) also names the
 * collections it files their activities in.
 */
export function serializeUnlistedPerson(member: Member, iris: ActorIris, publicKeyPem: string, forStore: boolean): Record<string, unknown> {
  const id = iris.member(member.handle);
  return {
    '@context': HEARTH_CONTEXT,
    id,
    type: 'Person',
    preferredUsername: member.handle,
    inbox: `${id}/inbox`,
    ...(forStore ? { outbox: `${id}/outbox`, followers: `${id}/followers`, following: `${id}/following` } : {}),
    endpoints: { sharedInbox: iris.sharedInbox() },
    publicKey: keyOf(id, publicKeyPem),
    manuallyApprovesFollowers: false,
    discoverable: false,
    indexable: false,
  };
}

/** The instance's own actor, which signs requests made for the instance as a whole. */
export function serializeInstanceActor(host: string, iris: ActorIris, publicKeyPem: string): Record<string, unknown> {
  const id = iris.instanceActor();
  return {
    '@context': HEARTH_CONTEXT,
    id,
    type: 'Application',
    preferredUsername: host,
    name: 'Hearth',
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    endpoints: { sharedInbox: iris.sharedInbox() },
    publicKey: keyOf(id, publicKeyPem),
    manuallyApprovesFollowers: true,
  };
}
