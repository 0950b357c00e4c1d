import type { ApexObject } from 'activitypub-express';

/**
 * apex's documents keep private bookkeeping under `_meta` (the collections an
 * activity is in, a local actor's private key). Hearth stores it in its own
 * jsonb column, next to the document, and pulls out what queries need into
 * plain columns.
 */
export type ApexDocument = ApexObject;
export type Json = Record<string, unknown>;

export function splitMeta(document: Json): { doc: Json; meta: Json } {
  const { _meta, ...doc } = document;
  return { doc, meta: isRecord(_meta) ? _meta : {} };
}

export function withMeta(doc: Json, meta: Json, include: boolean): ApexDocument {
  const result = { ...doc } as ApexDocument;
  if (include && Object.keys(meta).length > 0) result._meta = meta;
  return result;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ids a property refers to: strings, or objects with an id, alone or in arrays. */
export function idsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list
    .map((v) => (typeof v === 'string' ? v : isRecord(v) ? v.id : undefined))
    .filter((v): v is string => typeof v === 'string');
}

export function firstType(doc: Json): string | null {
  const t = doc.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && typeof t[0] === 'string') return t[0];
  return null;
}

export function collectionsOf(meta: Json): string[] {
  return idsOf(meta.collection);
}

/**
 * MongoDB-style partial update, as apex's store did it: `null` removes a
 * property, anything else replaces it; `id` never changes. `_meta` given in
 * the changes replaces the stored meta (null removes it), as `$set` did.
 */
export function mergeDocument(current: { doc: Json; meta: Json }, changes: Json): { doc: Json; meta: Json } {
  const doc = { ...current.doc };
  let meta = current.meta;
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'id') continue;
    if (key === '_meta') meta = isRecord(value) ? value : {};
    else if (value === null) delete doc[key];
    else doc[key] = value;
  }
  return { doc, meta };
}

/**
 * A copy of a document for embedding or handing out from a stream: apex's
 * Mongo store projected `_meta` and `_id` away from embedded objects, and a
 * private key must never travel inside another document.
 */
export function withoutPrivate(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { _meta: _m, _id: _i, ...rest } = value;
  return rest;
}

/** Strips `_meta`/`_id` from the objects embedded in an activity's `object`. */
export function withoutEmbeddedPrivate(doc: Json): Json {
  const object = doc.object;
  if (Array.isArray(object)) return { ...doc, object: object.map(withoutPrivate) };
  if (isRecord(object)) return { ...doc, object: withoutPrivate(object) };
  return doc;
}
