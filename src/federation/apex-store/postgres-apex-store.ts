import { randomBytes } from 'node:crypto';
import type { ApexDelivery, ApexJsonLdContext, ApexStore, ApexStreamItem, ApexStreamQuery } from 'activitypub-express';
import { createLogger } from '../../logger.js';
import type { Database, Queryable } from '../../storage/database.js';
import * as queue from './delivery-queue.js';
import {
  collectionsOf,
  firstType,
  idsOf,
  mergeDocument,
  splitMeta,
  withMeta,
  withoutPrivate,
  type ApexDocument,
  type Json,
} from './documents.js';
import { countStream, selectStream } from './stream-queries.js';

export { deliveryQueueStats } from './delivery-queue.js';
export type JsonLdContext = ApexJsonLdContext;

interface StoredRow {
  doc: Json;
  meta: Json;
}

const json = (value: unknown): string => JSON.stringify(value);

/**
 * activitypub-express's store (its store/interface.js; store/index.js is the
 * MongoDB original) on PostgreSQL, the same SQL for a server and for PGlite.
 * Tables come from migration 0002_activitypub.sql.
 *
 * Kept from apex's store: `_meta` comes out only with includeMeta (strictly
 * true for objects, as private keys live there); an update of an object
 * reaches the copies embedded in activities' `object`, and a new private key
 * reaches deliveries already queued; collections are the list
 * `_meta.collection` of each activity; saving something twice is not an
 * error (false / undefined). See stream-queries.ts for getStream and
 * delivery-queue.ts for the queue and its retry schedule.
 */
export class PostgresApexStore implements ApexStore {
  /** apex never reads this (its Mongo store kept its client here); it is Hearth's database. */
  readonly db: Database;
  private readonly logger: queue.DeliveryLogger;

  constructor(options: { db: Database; logger?: queue.DeliveryLogger }) {
    this.db = options.db;
    this.logger = options.logger ?? createLogger('warn');
  }

  /** Tables are made by migrations; this only stores (or refreshes) the optional first actor, as apex's store does. */
  async setup(initialUser?: ApexDocument): Promise<void> {
    if (!initialUser) return;
    const { doc, meta } = splitMeta(initialUser);
    await this.db.query(
      `INSERT INTO ap_objects (id, type, doc, meta) VALUES ($1, $2, $3::jsonb, $4::jsonb)
       ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, doc = EXCLUDED.doc, meta = EXCLUDED.meta, updated_at = now()`,
      [initialUser.id, firstType(doc), json(doc), json(meta)],
    );
  }

  async getObject(id: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<StoredRow>('SELECT doc, meta FROM ap_objects WHERE id = $1', [id]);
    // Strictly true, as apex's store: a private key must never come out by accident.
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, includeMeta === true) : null;
  }

  async saveObject(object: ApexDocument): Promise<boolean> {
    const { doc, meta } = splitMeta(object);
    const rows = await this.db.query(
      `INSERT INTO ap_objects (id, type, doc, meta) VALUES ($1, $2, $3::jsonb, $4::jsonb)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [object.id, firstType(doc), json(doc), json(meta)],
    );
    return rows.length === 1;
  }

  /**
   * Replaces the object (fullReplace: `_meta` included, as given) or merges
   * into it (null removes a property), then puts the result into every
   * activity embedding a copy. Returns the object as given (fullReplace) or
   * the merged one without `_meta`; undefined when it is not stored. Like
   * apex's store, `actorId` is not checked here: apex checks ownership
   * before it calls.
   */
  async updateObject(object: ApexDocument, _actorId: string | null, fullReplace?: boolean): Promise<ApexDocument | undefined> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<StoredRow>('SELECT doc, meta FROM ap_objects WHERE id = $1 FOR UPDATE', [object.id]);
      if (!rows[0]) return undefined;
      const next = fullReplace ? splitMeta(object) : mergeDocument(rows[0], object);
      next.doc.id = object.id;
      await tx.query('UPDATE ap_objects SET doc = $2::jsonb, meta = $3::jsonb, type = $4, updated_at = now() WHERE id = $1', [
        object.id,
        json(next.doc),
        json(next.meta),
        firstType(next.doc),
      ]);
      await updateObjectCopies(tx, next.doc);
      if (typeof next.meta.privateKey === 'string') await queue.updateSigningKey(tx, object.id, next.meta.privateKey);
      return fullReplace ? object : (next.doc as ApexDocument);
    });
  }

  async getActivity(id: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<StoredRow>('SELECT doc, meta FROM ap_activities WHERE id = $1', [id]);
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, !!includeMeta) : null;
  }

  /**
   * The oldest activity in `collection` whose `object` is (or embeds) `objectId`.
   * (Mongo matched only a plain IRI in `object`; an embedded object with that id counts here too.)
   */
  async findActivityByCollectionAndObjectId(collection: string, objectId: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<StoredRow>(
      'SELECT doc, meta FROM ap_activities WHERE collections @> ARRAY[$1::text] AND object_ids @> ARRAY[$2::text] ORDER BY seq LIMIT 1',
      [collection, objectId],
    );
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, !!includeMeta) : null;
  }

  async findActivityByCollectionAndActorId(collection: string, actorId: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<StoredRow>(
      'SELECT doc, meta FROM ap_activities WHERE collections @> ARRAY[$1::text] AND actor_ids @> ARRAY[$2::text] ORDER BY seq LIMIT 1',
      [collection, actorId],
    );
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, !!includeMeta) : null;
  }

  getStream(
    collectionId: string,
    limit?: number | null,
    after?: string | null,
    blockList?: readonly string[] | null,
    query?: ApexStreamQuery | null,
  ): Promise<ApexStreamItem[]> {
    return selectStream(this.db, { collectionId, limit, after, blockList, query });
  }

  getStreamCount(collectionId: string): Promise<number> {
    return countStream(this.db, collectionId);
  }

  /** Local actors: Persons holding a private key (apex's nodeinfo user count). */
  async getUserCount(): Promise<number> {
    const rows = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ap_objects WHERE type = 'Person' AND meta ? 'privateKey'");
    return rows[0]?.n ?? 0;
  }

  /** The interface file spells it this way; apex calls getUserCount. */
  getUsercount(): Promise<number> {
    return this.getUserCount();
  }

  async getContext(documentUrl: string): Promise<JsonLdContext | null> {
    const rows = await this.db.query<{ context_url: string | null; document_url: string; document: unknown }>(
      'SELECT context_url, document_url, document FROM ap_contexts WHERE document_url = $1',
      [documentUrl],
    );
    const r = rows[0];
    return r ? { contextUrl: r.context_url, documentUrl: r.document_url, document: r.document } : null;
  }

  /** Caches a JSON-LD context; the document may come as parsed JSON or as its text (apex's store kept text). */
  async saveContext(context: JsonLdContext): Promise<void> {
    const document: unknown = typeof context.document === 'string' ? JSON.parse(context.document) : context.document;
    await this.db.query(
      `INSERT INTO ap_contexts (document_url, context_url, document) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (document_url) DO UPDATE SET context_url = EXCLUDED.context_url, document = EXCLUDED.document, saved_at = now()`,
      [context.documentUrl, context.contextUrl ?? null, json(document)],
    );
  }

  /** Saves an activity once; saving the same id again returns undefined (apex then adds the new collection). */
  async saveActivity(activity: ApexDocument): Promise<true | undefined> {
    const { doc, meta } = splitMeta(activity);
    const rows = await this.db.query(
      `INSERT INTO ap_activities (id, actor_ids, object_ids, collections, doc, meta)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [activity.id, idsOf(doc.actor), idsOf(doc.object), collectionsOf(meta), json(doc), json(meta)],
    );
    return rows.length === 1 ? true : undefined;
  }

  /** Deletes the activity if `actorId` is its actor (which takes it out of every collection); returns how many went. */
  async removeActivity(activity: { id: string }, actorId: string): Promise<number> {
    const rows = await this.db.query('DELETE FROM ap_activities WHERE id = $1 AND actor_ids @> ARRAY[$2::text] RETURNING id', [
      activity.id,
      actorId,
    ]);
    return rows.length;
  }

  /**
   * Replaces (fullReplace) or merges into a stored activity; returns the
   * activity as given, or the merged one with `_meta`. As in apex's store, a
   * full replacement also replaces `_meta`, so one without `_meta` leaves
   * every collection; and only a full replacement reaches embedded copies.
   */
  async updateActivity(activity: ApexDocument, fullReplace?: boolean): Promise<ApexDocument> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<StoredRow>('SELECT doc, meta FROM ap_activities WHERE id = $1 FOR UPDATE', [activity.id]);
      if (!rows[0]) return activity;
      const next = fullReplace ? splitMeta(activity) : mergeDocument(rows[0], activity);
      next.doc.id = activity.id;
      await this.writeActivity(tx, activity.id, next.doc, next.meta);
      if (fullReplace) await updateObjectCopies(tx, next.doc);
      return fullReplace ? activity : withMeta(next.doc, next.meta, true);
    });
  }

  /**
   * Adds `value` to the list `_meta[key]` unless it is there ($addToSet), or
   * removes it ($pull); returns the activity with `_meta`. Throws when no
   * such activity is stored, with apex's store's message.
   */
  async updateActivityMeta(activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexDocument> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<StoredRow>('SELECT doc, meta FROM ap_activities WHERE id = $1 FOR UPDATE', [activity.id]);
      if (!rows[0]) throw new Error('Error updating activity meta: not found');
      const { doc } = rows[0];
      const meta = { ...rows[0].meta };
      const current: unknown[] = Array.isArray(meta[key]) ? meta[key] : meta[key] === undefined ? [] : [meta[key]];
      const same = (v: unknown) => json(v) === json(value);
      meta[key] = remove ? current.filter((v) => !same(v)) : current.some(same) ? current : [...current, value];
      await this.writeActivity(tx, activity.id, doc, meta);
      return withMeta(doc, meta, true);
    });
  }

  /** 24 hex digits, like the MongoDB ObjectId apex's store used (apex puts it in IRIs). */
  generateId(): string {
    return randomBytes(12).toString('hex');
  }

  /** One row per address; true, or undefined when there is no address (as apex's store). */
  async deliveryEnqueue(actorId: string, body: string, addresses: string | readonly string[] | undefined, signingKey: string): Promise<boolean | undefined> {
    const list = addresses === undefined ? [] : typeof addresses === 'string' ? [addresses] : addresses;
    if (list.length === 0) return undefined;
    await queue.enqueue(this.db, actorId, body, list, signingKey);
    return true;
  }

  deliveryDequeue(): Promise<ApexDelivery | { waitUntil: Date } | null> {
    return queue.dequeue(this.db);
  }

  /**
   * Back on the queue for a later attempt (schedule in delivery-queue.ts),
   * or dropped, and logged, after the last. apex passes only the delivery;
   * a caller that knows why it failed may say so (kept as last_error).
   */
  deliveryRequeue(delivery: ApexDelivery, error?: string): Promise<boolean> {
    return queue.requeue(this.db, delivery, error, this.logger);
  }

  private async writeActivity(q: Queryable, id: string, doc: Json, meta: Json): Promise<void> {
    await q.query(
      `UPDATE ap_activities SET doc = $2::jsonb, meta = $3::jsonb, actor_ids = $4, object_ids = $5, collections = $6
       WHERE id = $1`,
      [id, json(doc), json(meta), idsOf(doc.actor), idsOf(doc.object), collectionsOf(meta)],
    );
  }
}

/**
 * apex's storage is denormalised: activities keep copies of their objects
 * in `object`. This replaces every embedded copy of `object` (by id) with
 * the new version, leaving the other elements as they are. Copies never
 * carry `_meta`: a private key must not end up inside another document.
 */
async function updateObjectCopies(q: Queryable, object: Json): Promise<void> {
  await q.query(
    `UPDATE ap_activities SET doc = jsonb_set(doc, '{object}', (
       SELECT jsonb_agg(CASE WHEN jsonb_typeof(e) = 'object' AND e->>'id' = $1::text THEN $2::jsonb ELSE e END ORDER BY n)
       FROM jsonb_array_elements(doc->'object') WITH ORDINALITY AS x(e, n)))
     WHERE object_ids @> ARRAY[$1::text]
       AND jsonb_typeof(doc->'object') = 'array'
       AND doc->'object' @> jsonb_build_array(jsonb_build_object('id', $1::text))`,
    [object.id, json(withoutPrivate(object))],
  );
}
