import type { Logger } from 'pino';
import type { PostgresApexStore } from './apex-store/postgres-apex-store.js';
import { remoteRequest, type FetchPolicy } from './safe-fetch.js';

interface LoadedContext {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

/**
 * JSON-LD contexts for apex: the core ones ship with apex; others are fetched
 * once through the guarded fetch and cached in the database. A context that
 * cannot be had (no network, a dead server) is treated as empty, so its terms
 * are dropped but the activity's ActivityStreams properties still work:
 * federation never stalls on a context server, and tests need no internet.
 */
export function contextLoader(o: {
  store: PostgresApexStore;
  core: (url: string) => Promise<unknown>;
  coreUrls: Set<string>;
  policy: FetchPolicy;
  logger: Logger;
}): (url: string) => Promise<unknown> {
  const failed = new Map<string, number>();
  return async (url: string) => {
    if (o.coreUrls.has(url)) return o.core(url);
    const cached = await o.store.getContext(url);
    if (cached) return cached;
    const empty: LoadedContext = { contextUrl: null, documentUrl: url, document: { '@context': {} } };
    if ((failed.get(url) ?? 0) > Date.now() - 3600_000) return empty;
    try {
      const res = await remoteRequest(url, { ...o.policy, timeoutMs: Math.min(o.policy.timeoutMs, 5000) }, {
        headers: { Accept: 'application/ld+json, application/json' },
      });
      const document = JSON.parse(res.body.toString('utf8')) as unknown;
      if (res.status !== 200 || typeof document !== 'object' || document === null || !('@context' in document)) {
        throw new Error(`status ${res.status}`);
      }
      const context: LoadedContext = { contextUrl: null, documentUrl: url, document };
      await o.store.saveContext(context);
      return context;
    } catch (error) {
      o.logger.warn({ url, err: (error as Error).message }, 'JSON-LD context unavailable; treating it as empty');
      failed.set(url, Date.now());
      return empty;
    }
  };
}
