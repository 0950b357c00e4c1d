import { z } from 'zod';
import type { RemoteMentions, RemotePerson } from '../domain/mentions/mentions.js';
import { parseUrl } from '../domain/urls.js';
import { remoteRequest, type FetchPolicy } from './safe-fetch.js';

/** What Hearth reads of a WebFinger answer (RFC 7033); anything else in it is ignored. */
const JRD = z.object({
  links: z
    .array(z.object({ rel: z.string().optional(), type: z.string().optional(), href: z.string().max(2000).optional() }).passthrough())
    .max(100)
    .optional(),
});
export type Jrd = z.infer<typeof JRD>;

/** A WebFinger answer is small; more than this is not read. */
const MAX_JRD_BYTES = 64 * 1024;

/**
 * Asks `host` who `acct:user@host` is, through the guarded fetch (https, and
 * http only where the policy allows it, in tests). undefined when the server
 * does not know them, does not answer or answers nonsense.
 */
export async function webfinger(user: string, host: string, policy: FetchPolicy, signal?: AbortSignal): Promise<Jrd | undefined> {
  const schemes = policy.allowHttp ? ['https', 'http'] : ['https'];
  for (const scheme of schemes) {
    if (signal?.aborted) return undefined;
    try {
      const res = await remoteRequest(`${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`, policy, {
        headers: { Accept: 'application/jrd+json, application/json' },
      });
      if (res.status !== 200) continue;
      const parsed = JRD.safeParse(JSON.parse(res.body.toString('utf8')));
      if (parsed.success) return parsed.data;
    } catch (error) {
      // Unreachable or not JSON over this scheme: try the next one.
      if (!(error instanceof Error)) throw error;
    }
  }
  return undefined;
}

/** The ActivityPub actor a WebFinger answer points to. */
export function selfLink(jrd: Jrd): string | undefined {
  return jrd.links?.find((l) => l.rel === 'self' && /activity\+json|ld\+json/.test(l.type ?? '') && typeof l.href === 'string')?.href;
}

function webUrl(value: string | undefined, policy: FetchPolicy): string | undefined {
  const url = value === undefined ? undefined : parseUrl(value);
  return url && (url.protocol === 'https:' || (url.protocol === 'http:' && policy.allowHttp)) ? url.href : undefined;
}

/** How long a lookup's answer is kept: people rarely move, and a post naming the same person twice asks once. */
const FOUND_TTL_MS = 60 * 60_000;
const NOT_FOUND_TTL_MS = 5 * 60_000;
const CACHE_SIZE = 1000;

/**
 * @user@host mentions resolved by WebFinger (the `RemoteMentions` port of
 * the domain): their actor's IRI (for the Mention tag and their inbox) and
 * their profile page (for the link). Answers are kept for a while, in a
 * bounded cache.
 */
export class WebFingerMentions implements RemoteMentions {
  private readonly cache = new Map<string, { person: RemotePerson | undefined; until: number }>();
  private readonly policy: FetchPolicy;

  constructor(policy: FetchPolicy, private readonly now: () => number = Date.now) {
    // A mention is not worth a long wait: the post goes up without it.
    this.policy = { ...policy, timeoutMs: Math.min(policy.timeoutMs, 4_000), maxBytes: MAX_JRD_BYTES };
  }

  async resolve(user: string, host: string, signal: AbortSignal): Promise<RemotePerson | undefined> {
    const key = `${user}@${host}`.toLowerCase();
    const kept = this.cache.get(key);
    if (kept && kept.until > this.now()) return kept.person;
    const jrd = await webfinger(user, host, this.policy, signal);
    const actorIri = jrd && webUrl(selfLink(jrd), this.policy);
    const person = actorIri
      ? { actorIri, profileUrl: webUrl(jrd.links?.find((l) => l.rel === 'http://webfinger.net/rel/profile-page')?.href, this.policy) ?? actorIri }
      : undefined;
    if (signal.aborted && !person) return undefined;
    this.cache.delete(key);
    this.cache.set(key, { person, until: this.now() + (person ? FOUND_TTL_MS : NOT_FOUND_TTL_MS) });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return person;
  }
}
