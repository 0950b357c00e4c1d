import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../storage/database.js';
import * as queue from './delivery-queue.js';
import {
  collectionsOf,
  firstType,
  idsOf,
  mergeDocument,
  splitMeta,
  withMeta,
  type ApexDocument,
} from './documents.js';

interface ObjectRow {
  doc: Record<string, unknown>;
  meta: Record<string, unknown>;
}

interface ActivityRow extends ObjectRow {
  seq: number;
}

export interface JsonLdContext {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}

/**
 * activitypub-express's store interface (its store/interface.js) on
 * PostgreSQL, for both a server and PGlite. It keeps apex's semantics:
 * `_meta` only with includeMeta, updates of an object reach the copies
 * embedded in activities, collections are lists kept in the activity's meta.
 */
export class PostgresApexStore {
  /** apex never reads this; its Mongo store kept its client here. */
  readonly db: Database;

  constructor(options: { db: Database }) {
    this.db = options.db;
  }

  async setup(initialUser?: ApexDocument): Promise<void> {
    if (!initialUser) return;
    const { doc, meta } = splitMeta(initialUser);
    await this.db.query(
      `INSERT INTO ap_objects (id, type, doc, meta) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, doc = EXCLUDED.doc, meta = EXCLUDED.meta, updated_at = now()`,
      [initialUser.id, firstType(doc), doc, meta],
    );
  }

  async getObject(id: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<ObjectRow>('SELECT doc, meta FROM ap_objects WHERE id = $1', [id]);
    // Strictly true: a private key must never come out by accident.
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, includeMeta === true) : null;
  }

  async saveObject(object: ApexDocument): Promise<boolean> {
    const { doc, meta } = splitMeta(object);
    const rows = await this.db.query(
      'INSERT INTO ap_objects (id, type, doc, meta) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id',
      [object.id, firstType(doc), doc, meta],
    );
    return rows.length === 1;
  }

  async updateObject(object: ApexDocument, _actorId: string | null, fullReplace?: boolean): Promise<ApexDocument | undefined> {
    const updated = await this.db.transaction(async (tx) => {
      const rows = await tx.query<ObjectRow>('SELECT doc, meta FROM ap_objects WHERE id = $1 FOR UPDATE', [object.id]);
      if (!rows[0]) return undefined;
      const { doc: changes, meta } = splitMeta(object);
      const doc = fullReplace ? changes : mergeDocument(rows[0].doc, changes);
      const newMeta = fullReplace ? meta : rows[0].meta;
      await tx.query('UPDATE ap_objects SET doc = $2, meta = $3, type = $4, updated_at = now() WHERE id = $1', [
        object.id,
        doc,
        newMeta,
        firstType(doc),
      ]);
      await this.updateObjectCopies(tx, doc);
      // Refreshing an actor (every publish projects it) rarely changes its key: waiting deliveries are touched only when it did.
      if (typeof newMeta.privateKey === 'string' && newMeta.privateKey !== rows[0].meta.privateKey) {
        await queue.updateSigningKey(tx, object.id, newMeta.privateKey);
      }
      return fullReplace ? object : (doc as ApexDocument);
    });
    return updated;
  }

  async getActivity(id: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<ObjectRow>('SELECT doc, meta FROM ap_activities WHERE id = $1', [id]);
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, !!includeMeta) : null;
  }

  async findActivityByCollectionAndObjectId(collection: string, objectId: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<ObjectRow>(
      'SELECT doc, meta FROM ap_activities WHERE collections @> ARRAY[$1::text] AND $2 = ANY (object_ids) ORDER BY seq LIMIT 1',
      [collection, objectId],
    );
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, !!includeMeta) : null;
  }

  async findActivityByCollectionAndActorId(collection: string, actorId: string, includeMeta?: boolean): Promise<ApexDocument | null> {
    const rows = await this.db.query<ObjectRow>(
      'SELECT doc, meta FROM ap_activities WHERE collections @> ARRAY[$1::text] AND $2 = ANY (actor_ids) ORDER BY seq LIMIT 1',
      [collection, actorId],
    );
    return rows[0] ? withMeta(rows[0].doc, rows[0].meta, !!includeMeta) : null;
  }

  /**
   * A collection, newest first, `limit` at a time after the `_id` of the last
   * item of the previous page; each activity's `actor` is replaced by the
   * stored actor objects, and activities whose actor is unknown are left out.
   */
  async getStream(
    collectionId: string,
    limit: number | null,
    after?: string | null,
    blockList?: string[],
    query?: unknown,
  ): Promise<ApexDocument[]> {
    if (query !== undefined && query !== null) {
      throw new Error('PostgresApexStore: getStream does not take a MongoDB aggregation query');
    }
    if (after && !/^\d{1,18}$/.test(String(after))) throw new Error('ApexStore: invalid page value');
    const rows = await this.db.query<ActivityRow & { actors: Record<string, unknown>[] | null }>(
      `SELECT a.seq, a.doc, a.meta,
         (SELECT jsonb_agg(o.doc ORDER BY array_position(a.actor_ids, o.id)) FROM ap_objects o WHERE o.id = ANY (a.actor_ids)) AS actors
       FROM ap_activities a
       WHERE a.collections @> ARRAY[$1::text]
         AND ($2::bigint IS NULL OR a.seq < $2::bigint)
         AND NOT (a.actor_ids && $3::text[])
       ORDER BY a.seq DESC
       LIMIT $4`,
      [collectionId, after ? Number(after) : null, blockList ?? [], limit ?? null],
    );
    return rows
      .filter((r) => r.actors !== null && r.actors.length > 0)
      .map((r) => ({ ...r.doc, actor: r.actors, _id: String(r.seq) }) as unknown as ApexDocument);
  }

  /**
   * The inboxes of an actor's followers in one query, as apex's addressing
   * would find them (shared inbox where offered, else the inbox; blocked
   * actors and the sender's own inbox left out; each address once), without
   * resolving and re-saving every follower's actor document. Each document
   * is read with plain operators (a value or the first of a list, as
   * JSON-LD allows either; the first `endpoints` object), once: jsonpath
   * cost about twice as much per follower.
   */
  async followerInboxes(followersIri: string, senderInbox: string, blocked: readonly string[]): Promise<string[]> {
    const first = (v: string) => `CASE jsonb_typeof(${v}) WHEN 'array' THEN ${v} ->> 0 WHEN 'string' THEN ${v} #>> '{}' END`;
    const rows = await this.db.query<{ address: string }>(
      `SELECT DISTINCT COALESCE(x.shared, x.inbox) AS address
       FROM ap_activities a
       JOIN ap_objects o ON o.id = a.actor_ids[1],
       LATERAL (SELECT CASE jsonb_typeof(o.doc -> 'endpoints') WHEN 'array' THEN o.doc -> 'endpoints' -> 0 ELSE o.doc -> 'endpoints' END AS e) AS ep,
       LATERAL (SELECT ${first("ep.e -> 'sharedInbox'")} AS shared, ${first("o.doc -> 'inbox'")} AS inbox) AS x
       WHERE a.collections @> ARRAY[$1::text]
         AND NOT (a.actor_ids && $2::text[])
         AND x.inbox <> $3`,
      [followersIri, blocked, senderInbox],
    );
    return rows.map((r) => r.address).filter((a) => typeof a === 'string' && a.length > 0);
  }

  async getStreamCount(collectionId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ap_activities WHERE collections @> ARRAY[$1::text]', [
      collectionId,
    ]);
    return rows[0]!.n;
  }

  async getUserCount(): Promise<number> {
    const rows = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ap_objects WHERE type = 'Person' AND meta ? 'privateKey'");
    return rows[0]!.n;
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

  async saveContext(context: JsonLdContext): Promise<void> {
    const document = typeof context.document === 'string' ? JSON.parse(context.document) : context.document;
    await this.db.query(
      `INSERT INTO ap_contexts (document_url, context_url, document) VALUES ($1, $2, $3)
       ON CONFLICT (document_url) DO UPDATE SET context_url = EXCLUDED.context_url, document = EXCLUDED.document, saved_at = now()`,
      [context.documentUrl, context.contextUrl ?? null, JSON.stringify(document)],
    );
  }

  /** Saves an activity once; a second save of the same id returns undefined, as apex expects. */
  async saveActivity(activity: ApexDocument): Promise<true | undefined> {
    const { doc, meta } = splitMeta(activity);
    const rows = await this.db.query(
      `INSERT INTO ap_activities (id, actor_ids, object_ids, collections, doc, meta)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [activity.id, idsOf(doc.actor), idsOf(doc.object), collectionsOf(meta), doc, meta],
    );
    return rows.length === 1 ? true : undefined;
  }

  async removeActivity(activity: { id: string }, actorId: string): Promise<number> {
    const rows = await this.db.query('DELETE FROM ap_activities WHERE id = $1 AND $2 = ANY (actor_ids) RETURNING id', [activity.id, actorId]);
    return rows.length;
  }

  async updateActivity(activity: ApexDocument, fullReplace?: boolean): Promise<ApexDocument> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<ObjectRow>('SELECT doc, meta FROM ap_activities WHERE id = $1 FOR UPDATE', [activity.id]);
      if (!rows[0]) return activity;
      const { doc: changes, meta: givenMeta } = splitMeta(activity);
      const doc = fullReplace ? changes : mergeDocument(rows[0].doc, changes);
      const meta = fullReplace ? givenMeta : rows[0].meta;
      await tx.query('UPDATE ap_activities SET doc = $2, meta = $3, actor_ids = $4, object_ids = $5, collections = $6 WHERE id = $1', [
        activity.id,
        doc,
        meta,
        idsOf(doc.actor),
        idsOf(doc.object),
        collectionsOf(meta),
      ]);
      // As apex's own store: only a full replacement reaches embedded copies.
      if (fullReplace) await this.updateObjectCopies(tx, doc);
      return fullReplace ? activity : withMeta(doc, meta, true);
    });
  }

  /** Adds (or removes) a value in the list `_meta[key]`, without duplicates. */
  async updateActivityMeta(activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexDocument> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<ObjectRow>('SELECT doc, meta FROM ap_activities WHERE id = $1 FOR UPDATE', [activity.id]);
      if (!rows[0]) throw new Error('Error updating activity meta: not found');
      const meta = { ...rows[0].meta };
      const current = Array.isArray(meta[key]) ? (meta[key] as unknown[]) : meta[key] === undefined ? [] : [meta[key]];
      const same = (v: unknown) => JSON.stringify(v) === JSON.stringify(value);
      meta[key] = remove ? current.filter((v) => !same(v)) : current.some(same) ? current : [...current, value];
      await tx.query('UPDATE ap_activities SET meta = $2, collections = $3 WHERE id = $1', [activity.id, meta, collectionsOf(meta)]);
      return withMeta(rows[0].doc, meta, true);
    });
  }

  generateId(): string {
    return randomBytes(12).toString('hex');
  }

  deliveryEnqueue(actorId: string, body: string, addresses: string | string[] | undefined, signingKey: string): Promise<boolean | undefined> {
    const list = addresses === undefined ? [] : Array.isArray(addresses) ? addresses : [addresses];
    if (list.length === 0) return Promise.resolve(undefined);
    return queue.enqueue(this.db, actorId, body, list, signingKey).then(() => true);
  }

  deliveryDequeue(): ReturnType<typeof queue.dequeue> {
    return queue.dequeue(this.db);
  }

  deliveryRequeue(delivery: queue.Delivery): Promise<boolean> {
    return queue.requeue(this.db, delivery);
  }

  /** Puts an updated object into every activity that embeds a copy of it. */
  private async updateObjectCopies(q: Queryable, object: Record<string, unknown>): Promise<void> {
    await q.query(
      `UPDATE ap_activities SET doc = jsonb_set(doc, '{object}', (
         SELECT jsonb_agg(CASE WHEN jsonb_typeof(e) = 'object' AND e->>'id' = $1 THEN $2::jsonb ELSE e END ORDER BY n)
         FROM jsonb_array_elements(doc->'object') WITH ORDINALITY AS x(e, n)))
       WHERE $1 = ANY (object_ids) AND jsonb_typeof(doc->'object') = 'array'`,
      [object.id, JSON.stringify(object)],
    );
  }
}
