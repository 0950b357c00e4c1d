import { createRequire } from 'node:module';
import type { Apex, ApexObject } from 'activitypub-express';
import { ActivitypubExpress } from './apex-module.js';
import type { Logger } from 'pino';
import type { ActorIris } from './actor-iris.js';
import type { ActorKeys } from './actor-keys.js';
import type { PostgresApexStore } from './apex-store/postgres-apex-store.js';
import { contextLoader } from './json-ld-contexts.js';
import { remoteRequest, type FetchPolicy } from './safe-fetch.js';
import { signRequest } from './http-signatures.js';
import { AS_CONTEXT, AS_PUBLIC, EXTENSION_CONTEXT, SECURITY_CONTEXT } from './vocabulary.js';

const require = createRequire(import.meta.url);
const APEX_VERSION = (require('activitypub-express/package.json') as { version: string }).version;

/** Names apex's routes give actors: members by handle, circles as c/SLUG, the instance as ~instance. */
export const INSTANCE_ACTOR_NAME = '~instance';

/**
 * activitypub-express, set up for Hearth: its PostgreSQL store, Hearth's
 * IRIs (circles at /c/SLUG, members at /u/HANDLE), remote fetches through the
 * guarded, signed fetch, JSON-LD contexts cached in the database, and no
 * delivery loop of its own (Hearth's worker delivers from the same queue).
 */
export function createApex(o: {
  store: PostgresApexStore;
  publicUrl: URL;
  iris: ActorIris;
  keys: ActorKeys;
  policy: FetchPolicy;
  logger: Logger;
  version: string;
}): Apex {
  const origin = o.publicUrl.origin;
  const apex = ActivitypubExpress({
    name: 'Hearth',
    version: o.version,
    baseUrl: origin,
    actorParam: 'actor',
    objectParam: 'id',
    activityParam: 'id',
    routes: {
      actor: '/u/:actor',
      object: '/o/:id',
      activity: '/s/:id',
      inbox: '/u/:actor/inbox',
      outbox: '/u/:actor/outbox',
      followers: '/u/:actor/followers',
      following: '/u/:actor/following',
      liked: '/u/:actor/liked',
      collections: '/u/:actor/c/:id',
      blocked: '/u/:actor/blocked',
      rejections: '/u/:actor/rejections',
      rejected: '/u/:actor/rejected',
      shares: '/s/:id/shares',
      likes: '/s/:id/likes',
    },
    endpoints: { sharedInbox: o.iris.sharedInbox() },
    context: EXTENSION_CONTEXT,
    store: o.store,
    logger: {
      info: (...a: unknown[]) => o.logger.debug({ apex: a.map(String).join(' ') }),
      warn: (...a: unknown[]) => o.logger.warn({ apex: a.map(String).join(' ') }),
      error: (...a: unknown[]) => o.logger.error({ apex: a.map(String).join(' ') }),
    },
    offlineMode: true,
    requestTimeout: o.policy.timeoutMs,
  });

  apex.utils.usernameToIRI = (name: string) => {
    if (name === INSTANCE_ACTOR_NAME) return o.iris.instanceActor();
    if (name.startsWith('c/')) return o.iris.circle(name.slice(2));
    return o.iris.member(name);
  };

  // apex compacts the public collection to "as:Public"; Lemmy and others
  // compare the full IRI, so that is what leaves Hearth.
  const stringify = apex.stringifyPublicJSONLD.bind(apex);
  apex.stringifyPublicJSONLD = (obj) => stringify(obj).replaceAll('"as:Public"', JSON.stringify(AS_PUBLIC));

  const coreLoader = apex.jsonldContextLoader.bind(apex);
  apex.jsonldContextLoader = contextLoader({
    store: o.store,
    core: coreLoader,
    coreUrls: new Set([AS_CONTEXT, SECURITY_CONTEXT]),
    policy: o.policy,
    logger: o.logger,
  });

  // Remote objects are fetched with the instance actor's signature (servers
  // with "authorized fetch" require one), within the fetch policy.
  apex.requestObject = async (id: string): Promise<ApexObject | null> => {
    const url = new URL(id);
    const keys = await o.keys.get({ kind: 'instance' });
    const signed = signRequest({ method: 'GET', url, keyId: `${o.iris.instanceActor()}#main-key`, privateKeyPem: keys.privateKeyPem });
    const res = await remoteRequest(id, o.policy, {
      headers: { ...signed, Accept: 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"', 'User-Agent': `Hearth/${o.version} (activitypub-express/${APEX_VERSION}; +${origin})` },
    });
    if (res.status === 410) return null;
    if (res.status !== 200) throw new Error(`Fetching ${id} answered ${res.status}`);
    const json = JSON.parse(res.body.toString('utf8')) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${id} is not a JSON object`);
    const object = await apex.fromJSONLD(json as Record<string, unknown>);
    // An object is believed only from its own server.
    if (typeof object?.id !== 'string' || new URL(object.id).origin !== url.origin) {
      throw new Error(`${id} answered with an object from elsewhere`);
    }
    return object;
  };
  return apex;
}
