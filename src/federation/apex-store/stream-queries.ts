import type { ApexStreamItem, ApexStreamQuery } from 'activitypub-express';
import type { Queryable } from '../../storage/database.js';
import { isRecord, withoutEmbeddedPrivate, type Json } from './documents.js';

/** The exact message apex's net/collection.js turns into a 400. */
export const INVALID_PAGE = 'ApexStore: invalid page value';

/** A field name `$match` may test: a plain top-level property of the activity. */
const MATCH_FIELD = /^[A-Za-z][A-Za-z0-9_:@#-]*$/;

export interface StreamRequest {
  collectionId: string;
  limit?: number | null;
  after?: string | null;
  blockList?: readonly string[] | null;
  query?: ApexStreamQuery | null;
}

/**
 * Turns the `query` getStream may be given into SQL conditions on the
 * activity document `a.doc`, with parameters numbered from `firstParam`.
 *
 * apex's pub/ and net/ never pass a query (getCollection only forwards one
 * it is given, and no caller gives one). With the Mongo store it was a list
 * of aggregation stages; its own store spec filters with
 * `[{ $match: { type: 'Arrive' } }]`. Exactly that family is supported:
 * `$match` stages whose fields are top-level properties tested against a
 * string, number or boolean, with MongoDB's meaning (equal, or an array
 * containing it; jsonb `@>` has the same rule). Everything else — operators,
 * dotted paths, `_meta`/`_id`, other stages — throws rather than being
 * silently ignored.
 */
export function streamQueryConditions(query: unknown, firstParam: number): { conditions: string[]; params: string[] } {
  const conditions: string[] = [];
  const params: string[] = [];
  if (query === undefined || query === null) return { conditions, params };
  const refuse = (why: string): never => {
    throw new Error(`PostgresApexStore.getStream: unsupported query (${why}): ${safeJson(query)}`);
  };
  if (!Array.isArray(query)) refuse('expected an array of $match stages');
  for (const stage of query as unknown[]) {
    if (!isRecord(stage) || Object.keys(stage).length !== 1 || !isRecord(stage.$match)) refuse('only { $match: {...} } stages');
    const match = (stage as { $match: Json }).$match;
    const fields = Object.entries(match);
    if (fields.length === 0) refuse('empty $match');
    for (const [field, value] of fields) {
      if (!MATCH_FIELD.test(field)) refuse(`field "${field}" is not a plain top-level property`);
      if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
        refuse(`field "${field}" must be compared with a string, number or boolean`);
      }
      const n = firstParam + params.length;
      conditions.push(`a.doc -> $${n}::text @> $${n + 1}::jsonb`);
      params.push(field, JSON.stringify(value));
    }
  }
  return { conditions, params };
}

/** A page cursor is the `_id` getStream put on the last item of the previous page: the activity's seq. */
export function parseAfter(after: unknown): number | null {
  if (after === undefined || after === null || after === '') return null;
  const text = typeof after === 'number' ? String(after) : after;
  if (typeof text !== 'string' || !/^[1-9]\d{0,15}$/.test(text)) throw new Error(INVALID_PAGE);
  return Number(text);
}

interface StreamRow {
  seq: number;
  doc: Json;
  actors: Array<Record<string, unknown>>;
}

/**
 * A collection, newest first (by seq, as Mongo sorted by _id), `limit` at a
 * time (no limit when it is 0/null/undefined, as in apex's store), after the
 * cursor `after`. Each activity's `actor` is replaced by the stored actor
 * objects (Mongo's $lookup), activities whose actor is not stored are left
 * out, as are those by actors in `blockList`. `_meta` never comes out; each
 * item carries `_id`, the cursor apex puts in the next page's IRI (and
 * stringifyPublicJSONLD drops before anything leaves the server).
 *
 * One deliberate difference: Mongo limited before dropping activities with
 * unknown actors, so a page could come back short or even empty (which
 * ended apex's paging early); here the limit counts only what is returned.
 */
export async function selectStream(q: Queryable, r: StreamRequest): Promise<ApexStreamItem[]> {
  const after = parseAfter(r.after);
  const extra = streamQueryConditions(r.query, 5);
  const limit = typeof r.limit === 'number' && r.limit > 0 ? Math.floor(r.limit) : null;
  const rows = await q.query<StreamRow>(
    `SELECT a.seq, a.doc,
       (SELECT jsonb_agg(o.doc ORDER BY array_position(a.actor_ids, o.id))
          FROM ap_objects o WHERE o.id = ANY (a.actor_ids)) AS actors
     FROM (
       SELECT a.seq, a.doc, a.actor_ids FROM ap_activities a
       WHERE a.collections @> ARRAY[$1::text]
         AND ($2::bigint IS NULL OR a.seq < $2::bigint)
         AND NOT (a.actor_ids && $3::text[])
         AND EXISTS (SELECT 1 FROM ap_objects o WHERE o.id = ANY (a.actor_ids))
         ${extra.conditions.map((c) => `AND ${c}`).join('\n         ')}
       ORDER BY a.seq DESC
       LIMIT $4
     ) a
     ORDER BY a.seq DESC`,
    [r.collectionId, after, [...(r.blockList ?? [])], limit, ...extra.params],
  );
  return rows.map((row) => ({ ...withoutEmbeddedPrivate(row.doc), actor: row.actors, _id: String(row.seq) }) as ApexStreamItem);
}

export async function countStream(q: Queryable, collectionId: string): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM ap_activities WHERE collections @> ARRAY[$1::text]', [collectionId]);
  return rows[0]?.n ?? 0;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 300);
  } catch {
    return String(value);
  }
}
