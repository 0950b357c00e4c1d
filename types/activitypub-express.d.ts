/**
 * Local type declaration for activitypub-express 4.x (CommonJS, untyped).
 * Only what Hearth uses is declared. Its documents are JSON-LD compacted
 * with arrays everywhere, so they are typed as loose records.
 */
declare module 'activitypub-express' {
  import type { RequestHandler } from 'express';

  export type ApexObject = Record<string, unknown> & { id: string; _meta?: Record<string, unknown>; _local?: Record<string, unknown> };

  export interface ApexStore {
    setup(initialUser?: ApexObject): Promise<unknown>;
    getObject(id: string, includeMeta?: boolean): Promise<ApexObject | null>;
    saveObject(object: ApexObject): Promise<boolean>;
    updateObject(object: ApexObject, actorId: string | null, fullReplace?: boolean): Promise<ApexObject | undefined>;
    getActivity(id: string, includeMeta?: boolean): Promise<ApexObject | null>;
    saveActivity(activity: ApexObject): Promise<true | undefined>;
    findActivityByCollectionAndObjectId(collection: string, objectId: string, includeMeta?: boolean): Promise<ApexObject | null>;
    deliveryEnqueue(actorId: string, body: string, addresses: string | string[] | undefined, signingKey: string): Promise<boolean | undefined>;
  }

  export interface ApexSettings {
    name: string;
    version: string;
    baseUrl: string;
    actorParam: string;
    objectParam: string;
    activityParam?: string;
    routes: Record<string, string>;
    endpoints?: Record<string, string>;
    context?: unknown;
    store: unknown;
    logger?: { info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
    offlineMode?: boolean;
    requestTimeout?: number;
    itemsPerPage?: number;
    threadDepth?: number;
  }

  export interface ApexUtils {
    usernameToIRI(name: string): string;
    activityIdToIRI(id: string): string;
    objectIdToIRI(id: string): string;
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
    [route: string]: Record<string, Middleware | Middleware[]>;
  }

  export interface Apex extends RequestHandler {
    settings: ApexSettings;
    baseUrl: string;
    domain: string;
    context: unknown[];
    store: ApexStore;
    net: ApexNet;
    utils: ApexUtils;
    consts: { publicAddress: string; jsonldTypes: string[]; jsonldOutgoingType: string };
    offlineMode?: boolean;
    fromJSONLD(obj: Record<string, unknown>): Promise<ApexObject>;
    toJSONLD(obj: ApexObject): Promise<Record<string, unknown>>;
    stringifyPublicJSONLD(obj: ApexObject): string;
    buildActivity(type: string, actorId: string, to: string | string[], etc?: Record<string, unknown>): Promise<ApexObject>;
    addToOutbox(actor: ApexObject, activity: ApexObject): Promise<unknown>;
    publishActivity(actor: ApexObject, activity: ApexObject, audienceOverride?: string[]): Promise<unknown>;
    queueForDelivery(actor: ApexObject, activity: ApexObject, addresses: string[]): Promise<unknown>;
    acceptFollow(actor: ApexObject, follow: ApexObject): Promise<{ postTask: () => Promise<unknown>; updated: ApexObject }>;
    address(activity: ApexObject, sender: ApexObject, audienceOverride?: string[]): Promise<string[]>;
    resolveObject(id: unknown, includeMeta?: boolean, refresh?: boolean, localOnly?: boolean): Promise<ApexObject | null | undefined>;
    requestObject(id: string): Promise<ApexObject | null>;
    jsonldContextLoader(url: string, options?: unknown): Promise<unknown>;
    getFollowers(actor: ApexObject, page?: unknown, includePrivate?: boolean): Promise<ApexObject>;
    getBlocked(actor: ApexObject, page?: unknown, includePrivate?: boolean): Promise<ApexObject>;
    addMeta(obj: ApexObject, key: string, value: unknown): void;
    isLocalIRI(id: string): boolean;
    isPublic(obj: ApexObject): boolean;
    validateObject(obj: unknown): boolean;
    validateActivity(obj: unknown): boolean;
    objectIdFromActivity(activity: ApexObject): string | undefined;
    actorIdFromActivity(activity: ApexObject): string | undefined;
  }

  function ActivitypubExpress(settings: ApexSettings): Apex;
  export default ActivitypubExpress;
}
