import type { Apex, ApexObject } from 'activitypub-express';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { checkDateAndDigest, DATE_WINDOW_MS, readSignature, verifySignature, type ParsedSignature, type RequestParts, type SignatureProblem } from './http-signatures.js';

export type VerifyProblem = SignatureProblem | 'key_host_mismatch' | 'unknown_signer' | 'actor_is_not_signer' | 'replayed' | 'too_many_key_fetches';

export type VerifyResult = { ok: true; signer: ApexObject } | { ok: false; status: 401 | 429; reason: VerifyProblem };

/** A key id whose fetch failed is not fetched again for this long. */
export const KEY_FAILURE_TTL_MS = 5 * 60 * 1000;
/** Key fetches per remote host: a bucket of this many, refilled one per KEY_FETCH_REFILL_MS. */
export const KEY_FETCH_BURST = 10;
export const KEY_FETCH_REFILL_MS = 6_000;

function first<T>(value: unknown): T | undefined {
  return (Array.isArray(value) ? value[0] : value) as T | undefined;
}

function publicKeyOf(actor: ApexObject, keyId: string): string | undefined {
  const keys = (Array.isArray(actor.publicKey) ? actor.publicKey : [actor.publicKey]) as Array<Record<string, unknown> | undefined>;
  const key = keys.find((k) => k && (k.id === keyId || keys.length === 1));
  return first<string>(key?.publicKeyPem);
}

/** A small token bucket per host, so that no one server can make Hearth fetch keys without end. */
class HostBuckets {
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 10_000 });

  take(host: string, now: number): boolean {
    const b = this.buckets.get(host) ?? { tokens: KEY_FETCH_BURST, at: now };
    const tokens = Math.min(KEY_FETCH_BURST, b.tokens + Math.max(0, now - b.at) / KEY_FETCH_REFILL_MS);
    if (tokens < 1) {
      this.buckets.set(host, { tokens, at: now });
      return false;
    }
    this.buckets.set(host, { tokens: tokens - 1, at: now });
    return true;
  }
}

/**
 * Checks who sent an activity. Everything that needs no network comes
 * first: the Signature header's shape, the Date window, the Digest against
 * the body, and that the key lives on the same host as the activity's actor.
 * Only then is the signer's key fetched (once; refreshed once when it does
 * not match, in case it was rotated), with a short memory of keys that could
 * not be had and a limit on fetches per host, so that unsigned or forged
 * requests cannot make Hearth send requests for free. Then: that the
 * activity's actor is the signer, and that the exact same signed request was
 * not seen before. The signer is cached only after the signature holds.
 */
export class InboxVerifier {
  private readonly seen = new LRUCache<string, true>({ max: 50_000, ttl: DATE_WINDOW_MS * 2 });
  /** Key ids (and refreshed actors) not to fetch again for a while. */
  private readonly failed = new LRUCache<string, true>({ max: 50_000, ttl: KEY_FAILURE_TTL_MS });
  private readonly refreshed = new LRUCache<string, true>({ max: 50_000, ttl: KEY_FAILURE_TTL_MS });
  private readonly buckets = new HostBuckets();

  constructor(
    private readonly apex: Apex,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    /** Claims a signature for every process sharing the database: false when it was already accepted (a replay). */
    private readonly claimSignature?: (signature: string, ttlMs: number) => Promise<boolean>,
  ) {}

  /**
   * The checks that need neither the network nor the database (the
   * Signature header's shape, the Date window, the Digest, the key on the
   * actor's host, a replay already seen here): a refusal, or the signature
   * read, to hand to `verify` so they are not made twice. The inbox asks this
   * first, so an unsigned or stale request costs no query at all.
   */
  precheck(parts: RequestParts, body: Buffer, activityActorId: string): { ok: false; status: 401; reason: VerifyProblem } | { ok: true; signature: ParsedSignature } {
    const parsed = readSignature(parts);
    if (typeof parsed === 'string') return { ok: false, status: 401, reason: parsed };
    const local = checkDateAndDigest(parts, body, this.clock.now());
    if (local) return { ok: false, status: 401, reason: local };
    if (new URL(parsed.keyId).host !== new URL(activityActorId).host) return { ok: false, status: 401, reason: 'key_host_mismatch' };
    if (this.seen.has(parsed.signature)) return { ok: false, status: 401, reason: 'replayed' };
    return { ok: true, signature: parsed };
  }

  /** Checks the request whole; `prechecked` is what `precheck` gave for it, when it was asked already. */
  async verify(parts: RequestParts, body: Buffer, activityActorId: string, prechecked?: ParsedSignature): Promise<VerifyResult> {
    const refuse = (reason: VerifyProblem, status: 401 | 429 = 401): VerifyResult => ({ ok: false, status, reason });
    let parsed = prechecked;
    if (!parsed) {
      const early = this.precheck(parts, body, activityActorId);
      if (!early.ok) return early;
      parsed = early.signature;
    }
    const keyHost = new URL(parsed.keyId).host;

    const actorIri = parsed.keyId.split('#')[0]!;
    let signer: ApexObject | null | undefined = await this.apex.store.getObject(actorIri);
    let cached = !!signer;
    if (!signer) {
      if (this.failed.has(parsed.keyId)) return refuse('unknown_signer');
      if (!this.buckets.take(keyHost, this.clock.now().getTime())) return refuse('too_many_key_fetches', 429);
      signer = await this.fetchActor(actorIri);
      if (!signer) {
        this.failed.set(parsed.keyId, true);
        return refuse('unknown_signer');
      }
    }

    let pem = publicKeyOf(signer, parsed.keyId);
    let problem = pem ? verifySignature(parts, body, parsed, pem, this.clock.now()) : 'bad_signature';
    if (problem === 'bad_signature' && cached && !this.refreshed.has(actorIri) && this.buckets.take(keyHost, this.clock.now().getTime())) {
      // Perhaps the key was rotated: fetched again, at most once in a while per actor.
      this.refreshed.set(actorIri, true);
      const fresh = await this.fetchActor(actorIri);
      if (fresh) {
        signer = fresh;
        cached = false;
        pem = publicKeyOf(signer, parsed.keyId);
        problem = pem ? verifySignature(parts, body, parsed, pem, this.clock.now()) : 'bad_signature';
      }
    }
    if (problem) return refuse(problem);
    if (signer.id !== activityActorId) return refuse('actor_is_not_signer');
    if (this.seen.has(parsed.signature)) return refuse('replayed');
    this.seen.set(parsed.signature, true);
    if (this.claimSignature && !(await this.claimSignature(parsed.signature, DATE_WINDOW_MS * 2))) return refuse('replayed');
    if (!cached) {
      if (!(await this.apex.store.saveObject(structuredClone(signer)))) await this.apex.store.updateObject(structuredClone(signer), null, true);
    }
    return { ok: true, signer };
  }

  private async fetchActor(iri: string): Promise<ApexObject | undefined> {
    try {
      let object = await this.apex.requestObject(iri);
      // Some servers name a separate key document; its owner is the actor.
      const owner = object && !object.inbox ? first<string>(object.owner) : undefined;
      if (owner && new URL(owner).origin === new URL(iri).origin) object = await this.apex.requestObject(owner);
      return object?.inbox ? object : undefined;
    } catch (error) {
      // Any failure to get the key means the same to the sender: not verified.
      this.logger?.info({ iri, err: (error as Error).message }, 'signer key could not be fetched');
      return undefined;
    }
  }
}
