/**
 * apex's documents keep private bookkeeping under `_meta` (the collections an
 * activity is in, a local actor's private key). Hearth stores it in its own
 * column, and pulls out what queries need.
 */
export type ApexDocument = Record<string, unknown> & { id: string; _meta?: Record<string, unknown> };

export function splitMeta(document: ApexDocument): { doc: Record<string, unknown>; meta: Record<string, unknown> } {
  const { _meta, ...doc } = document;
  return { doc, meta: _meta ?? {} };
}

export function withMeta(doc: Record<string, unknown>, meta: Record<string, unknown>, include: boolean): ApexDocument {
  const result = { ...doc } as ApexDocument;
  if (include && Object.keys(meta).length > 0) result._meta = meta;
  return result;
}

/** The ids a property refers to: strings, or objects with an id, alone or in arrays. */
export function idsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list
    .map((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined))
    .filter((v): v is string => typeof v === 'string');
}

export function firstType(doc: Record<string, unknown>): string | null {
  const t = doc.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && typeof t[0] === 'string') return t[0];
  return null;
}

export function collectionsOf(meta: Record<string, unknown>): string[] {
  return idsOf(meta.collection);
}

/** Mongo-style partial update: null removes a property, anything else sets it. */
export function mergeDocument(current: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'id' || key === '_meta') continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
