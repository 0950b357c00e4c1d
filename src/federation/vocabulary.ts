/** ActivityStreams names Hearth writes out in full, as Lemmy and Mastodon compare them. */
export const AS_PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
export const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';
export const SECURITY_CONTEXT = 'https://w3id.org/security/v1';

/**
 * Terms other servers use that the ActivityStreams context lacks; without
 * them JSON-LD processing drops the properties (FEP-1b12 `audience` is in AS
 * already; `sensitive` and friends are Mastodon's `as:` extensions).
 */
export const EXTENSION_CONTEXT = {
  sensitive: 'as:sensitive',
  manuallyApprovesFollowers: 'as:manuallyApprovesFollowers',
  Hashtag: 'as:Hashtag',
  toot: 'http://joinmastodon.org/ns#',
  discoverable: 'toot:discoverable',
  indexable: 'toot:indexable',
  postingRestrictedToMods: 'https://join-lemmy.org/ns#postingRestrictedToMods',
} as const;

export const HEARTH_CONTEXT = [AS_CONTEXT, SECURITY_CONTEXT, EXTENSION_CONTEXT];

/** Media types that ask for ActivityPub JSON rather than a page. */
export const ACTIVITY_JSON = 'application/activity+json';
export const LD_JSON_AS = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
