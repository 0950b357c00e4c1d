/**
 * Local type declaration for activitypub-express 4.x (CommonJS, untyped),
 * read off its index.js, pub/*.js, net/*.js and store/interface.js. Only what
 * Hearth uses or implements is declared. apex's documents are JSON-LD
 * compacted with `compactArrays: false`, so nearly every property is an
 * array; they are typed as loose records.
 */
declare module 'activitypub-express' {
  import type { RequestHandler } from 'express';

  /**
   * A document as apex handles it. `_meta` is apex's private bookkeeping
   * (`collection`: the collections an activity is in; `privateKey`: a local
   * actor's key); `_local` is per-request scratch space (`blockList`).
   */
  export type ApexObject = Record<string, unknown> & { id: string; _meta?: Record<string, unknown>; _local?: Record<string, unknown> };

  /** An activity as getStream returns it: `actor` replaced by the stored actor objects, `_id` the paging cursor. */
  export type ApexStreamItem = ApexObject & { _id: string; actor: Array<Record<string, unknown>> };

  /** A collection or collection page built by apex's getCollection. */
  export type ApexCollection = ApexObject & { totalItems?: unknown; orderedItems?: unknown[]; next?: unknown };

  /**
   * The extra `query` apex's getStream may receive. apex itself (pub/, net/)
   * never passes one; with the Mongo store it was a list of aggregation
   * stages. Hearth's store takes only `$match` on top-level fields with a
   * plain value (what apex's own store spec uses) and throws on anything else.
   */
  export type ApexStreamQuery = ReadonlyArray<{ $match: Readonly<Record<string, string | number | boolean>> }>;

  /** One queued delivery: an activity body (already serialised) for one inbox. */
  export interface ApexDelivery {
    address: string;
    actorId: string;
    signingKey: string;
    body: string;
    attempt: number;
    /** When it was (or is) due. */
    after: Date;
  }

  export interface ApexJsonLdContext {
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }

  /** apex's store contract (store/interface.js, plus what pub/ and net/ really call). */
  export interface ApexStore {
    /** apex's Mongo store kept its client here; apex itself never reads it. */
    readonly db: unknown;
    setup(initialUser?: ApexObject): Promise<unknown>;
    /** `_meta` only when includeMeta is strictly true (private keys). */
    getObject(id: string, includeMeta?: boolean): Promise<ApexObject | null>;
    /** false when an object with this id is already stored. */
    saveObject(object: ApexObject): Promise<boolean>;
    updateObject(object: ApexObject, actorId: string | null, fullReplace?: boolean): Promise<ApexObject | undefined>;
    getActivity(id: string, includeMeta?: boolean): Promise<ApexObject | null>;
    findActivityByCollectionAndObjectId(collection: string, objectId: string, includeMeta?: boolean): Promise<ApexObject | null>;
    findActivityByCollectionAndActorId(collection: string, actorId: string, includeMeta?: boolean): Promise<ApexObject | null>;
    getStream(
      collectionId: string,
      limit?: number | null,
      after?: string | null,
      blockList?: readonly string[] | null,
      query?: ApexStreamQuery | null,
    ): Promise<ApexStreamItem[]>;
    getStreamCount(collectionId: string): Promise<number>;
    getContext(documentUrl: string): Promise<ApexJsonLdContext | null>;
    saveContext(context: ApexJsonLdContext): Promise<unknown>;
    /** What apex's nodeinfo calls. */
    getUserCount(): Promise<number>;
    /** The spelling in store/interface.js. */
    getUsercount(): Promise<number>;
    /** true when saved, undefined when an activity with this id already exists. */
    saveActivity(activity: ApexObject): Promise<true | undefined>;
    removeActivity(activity: { id: string }, actorId: string): Promise<unknown>;
    updateActivity(activity: ApexObject, fullReplace?: boolean): Promise<ApexObject>;
    /** Adds `value` to (or removes it from) the list `_meta[key]`; throws when the activity is unknown. */
    updateActivityMeta(activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexObject>;
    generateId(): string;
    deliveryEnqueue(actorId: string, body: string, addresses: string | readonly string[] | undefined, signingKey: string): Promise<boolean | undefined>;
    deliveryDequeue(): Promise<ApexDelivery | { waitUntil: Date } | null>;
    deliveryRequeue(delivery: ApexDelivery): Promise<unknown>;
  }

  export interface ApexLogger {
    info(...a: unknown[]): void;
    warn(...a: unknown[]): void;
    error(...a: unknown[]): void;
  }

  export interface ApexSettings {
    name: string;
    version: string;
    baseUrl?: string;
    domain?: string;
    actorParam: string;
    objectParam: string;
    activityParam?: string;
    collectionParam?: string;
    pageParam?: string;
    routes: Record<string, string>;
    endpoints?: Record<string, string>;
    context?: unknown;
    store: ApexStore;
    logger?: ApexLogger;
    offlineMode?: boolean;
    requestTimeout?: number;
    itemsPerPage?: number;
    threadDepth?: number;
    systemUser?: ApexObject;
    openRegistrations?: boolean;
    nodeInfoMetadata?: Record<string, unknown>;
  }

  export interface ApexUtils {
    usernameToIRI(name: string): string;
    activityIdToIRI(id?: string): string;
    objectIdToIRI(id?: string): string;
    userCollectionIdToIRI(user: string, id?: string): string;
    nameToActorStreams(name: string): Record<'inbox' | 'outbox' | 'following' | 'followers' | 'liked' | 'blocked' | 'rejected' | 'rejections', string>;
    nameToBlockedIRI(name: string): string;
    nameToRejectedIRI(name: string): string;
    nameToRejectionsIRI(name: string): string;
    idToActivityCollections(id: string): Record<'shares' | 'likes', string>;
    iriToCollectionInfo(iri: string): { name: string; actor?: string; activity?: string; id?: string } | undefined;
    [name: string]: (...args: never[]) => unknown;
  }

  export type Middleware = RequestHandler;

  export interface ApexNet {
    validators: Record<string, Middleware>;
    security: Record<string, Middleware>;
    activity: Record<string, Middleware>;
    responders: Record<string, Middleware>;
    collection: Record<string, Middleware>;
    wellKnown: Record<string, Middleware>;
    /** Route bundles (`inbox.post`, `followers.get`, `activityStream.get`…): lists of middleware. */
    [route: string]: Record<string, Middleware | Middleware[]>;
  }

  export interface ApexConsts {
    ASContext: string[];
    formUrlType: string;
    jsonldTypes: string[];
    jsonldOutgoingType: string;
    /** apex compacts the public address to this. */
    publicAddress: string;
  }

  /** The value apex's factory returns: Express middleware with apex's API bound to it. */
  export interface Apex extends RequestHandler {
    settings: ApexSettings;
    baseUrl: string;
    domain: string;
    context: unknown[];
    store: ApexStore;
    net: ApexNet;
    utils: ApexUtils;
    consts: ApexConsts;
    logger: ApexLogger;
    offlineMode?: boolean;
    itemsPerPage: number;
    threadDepth: number;
    requestTimeout: number;
    systemUser?: ApexObject;

    // pub/actor.js — a 4096-bit RSA pair is made; the private key is in _meta.privateKey.
    createActor(username: string, displayName: string, summary?: string, icon?: unknown, type?: string): Promise<ApexObject>;

    // pub/activity.js
    buildActivity(type: string, actorId: string, to: string | string[], etc?: Record<string, unknown>): Promise<ApexObject>;
    buildTombstone(object: ApexObject): Promise<ApexObject>;
    address(activity: ApexObject, sender: ApexObject, audienceOverride?: string[]): Promise<string[]>;
    /** Adds `_meta.collection` (the outbox), saves the activity and publishes it. */
    addToOutbox(actor: ApexObject, activity: ApexObject): Promise<unknown>;
    acceptFollow(actor: ApexObject, follow: ApexObject): Promise<{ postTask: () => Promise<unknown>; updated: ApexObject }>;
    embedCollections(activity: ApexObject): Promise<ApexObject>;
    publishActivity(actor: ApexObject, activity: ApexObject, audienceOverride?: string[]): Promise<unknown>;
    publishUpdate(actor: ApexObject, object: ApexObject, cc?: unknown): Promise<unknown>;
    publishUndoUpdate(collectionId: string, actor: ApexObject, audience?: string[]): Promise<unknown>;
    resolveActivity(id: unknown, includeMeta?: boolean): Promise<ApexObject | undefined>;

    // pub/collection.js — `page`: undefined for the collection itself, 'true' for the first page,
    // a previous item's `_id` for the next, Infinity for everything.
    buildCollection(id: string, isOrdered: boolean, totalItems: number): Promise<ApexCollection>;
    getCollection(
      collectionId: unknown,
      page?: string | number,
      remapper?: ((activity: ApexStreamItem) => unknown) | null,
      includePrivate?: boolean,
      blockList?: readonly string[],
      query?: ApexStreamQuery,
    ): Promise<ApexCollection>;
    getInbox(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getOutbox(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    /** Needs `actor._local.blockList`. */
    getFollowers(actor: ApexObject, page?: unknown, includePrivate?: boolean): Promise<ApexCollection>;
    getFollowing(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getLiked(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getShares(object: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getLikes(object: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getBlocked(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getRejected(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    getRejections(actor: ApexObject, page?: string | number, includePrivate?: boolean): Promise<ApexCollection>;
    updateCollection(collectionId: unknown): Promise<ApexObject | undefined>;

    // pub/federation.js
    queueForDelivery(actor: ApexObject, activity: ApexObject, addresses: string[]): Promise<unknown>;
    requestObject(id: string): Promise<ApexObject | null>;
    resolveReferences(object: ApexObject, depth?: number): Promise<ApexObject[]>;
    startDelivery(): Promise<void> | undefined;

    // pub/object.js
    resolveObject(id: unknown, includeMeta?: boolean, refresh?: boolean, localOnly?: boolean): Promise<ApexObject | null | undefined>;
    resolveUnknown(objectOrIRI: unknown): Promise<ApexObject | null>;

    // pub/nodeinfo.js
    generateNodeInfo(version: string): Promise<Record<string, unknown>>;

    // pub/utils.js
    fromJSONLD(obj: Record<string, unknown>): Promise<ApexObject>;
    toJSONLD(obj: ApexObject): Promise<Record<string, unknown>>;
    /** JSON without `_`-prefixed keys, bto and bcc. */
    stringifyPublicJSONLD(obj: ApexObject): string;
    jsonldContextLoader(url: string, options?: unknown): Promise<unknown>;
    mergeJSONLD<T extends Record<string, unknown>>(target: T, source: Record<string, unknown>): T;
    addMeta(obj: ApexObject, key: string, value: unknown): void;
    hasMeta(obj: ApexObject, key: string, value: unknown): boolean;
    removeMeta(obj: ApexObject, key: string, value: unknown): void;
    addPageToIRI(id: string, pageId: string | number | boolean): string;
    audienceFromActivity(activity: ApexObject): string[];
    isLocalIRI(id: string): boolean;
    isLocalCollection(obj: unknown): boolean;
    isPublic(obj: ApexObject): boolean;
    isString(obj: unknown): obj is string;
    validateObject(obj: unknown): boolean;
    validateActivity(obj: unknown): boolean;
    validateOwner(obj: unknown, actor: ApexObject): boolean;
    validateTarget(obj: unknown, targetId: string, prop?: string): boolean;
    objectIdFromActivity(activity: ApexObject): string | undefined;
    objectIdFromValue(value: unknown): string | undefined;
    actorIdFromActivity(activity: ApexObject): string | undefined;
  }

  function ActivitypubExpress(settings: ApexSettings): Apex;
  export default ActivitypubExpress;
}
