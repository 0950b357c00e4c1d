import type { Apex, ApexObject } from 'activitypub-express';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/clock.js';
import { DATE_WINDOW_MS, readSignature, verifySignature, type RequestParts, type SignatureProblem } from './http-signatures.js';

export type VerifyResult =
  | { ok: true; signer: ApexObject }
  | { ok: false; status: 401; reason: SignatureProblem | 'unknown_signer' | 'actor_is_not_signer' | 'replayed' };

function first<T>(value: unknown): T | undefined {
  return (Array.isArray(value) ? value[0] : value) as T | undefined;
}

function publicKeyOf(actor: ApexObject, keyId: string): string | undefined {
  const keys = (Array.isArray(actor.publicKey) ? actor.publicKey : [actor.publicKey]) as Array<Record<string, unknown> | undefined>;
  const key = keys.find((k) => k && (k.id === keyId || keys.length === 1));
  return first<string>(key?.publicKeyPem);
}

/**
 * Checks who sent an activity: the HTTP signature (with Digest and Date), the
 * signer's key (fetched once, refreshed once when it does not match, in case
 * the key was rotated), that the activity's actor is the signer, and that the
 * exact same signed request was not seen before. The signer is cached only
 * after the signature holds.
 */
export class InboxVerifier {
  private readonly seen = new LRUCache<string, true>({ max: 50_000, ttl: DATE_WINDOW_MS * 2 });

  constructor(
    private readonly apex: Apex,
    private readonly clock: Clock,
  ) {}

  async verify(parts: RequestParts, body: Buffer, activityActorId: string): Promise<VerifyResult> {
    const parsed = readSignature(parts);
    if (typeof parsed === 'string') return { ok: false, status: 401, reason: parsed };
    const actorIri = parsed.keyId.split('#')[0]!;
    let signer: ApexObject | null | undefined = await this.apex.store.getObject(actorIri);
    let cached = !!signer;
    if (!signer) signer = await this.fetchActor(actorIri);
    if (!signer) return { ok: false, status: 401, reason: 'unknown_signer' };

    let pem = publicKeyOf(signer, parsed.keyId);
    let problem = pem ? verifySignature(parts, body, parsed, pem, this.clock.now()) : 'bad_signature';
    if (problem === 'bad_signature' && cached) {
      const fresh = await this.fetchActor(actorIri);
      if (fresh) {
        signer = fresh;
        cached = false;
        pem = publicKeyOf(signer, parsed.keyId);
        problem = pem ? verifySignature(parts, body, parsed, pem, this.clock.now()) : 'bad_signature';
      }
    }
    if (problem) return { ok: false, status: 401, reason: problem };
    if (signer.id !== activityActorId) return { ok: false, status: 401, reason: 'actor_is_not_signer' };
    if (this.seen.has(parsed.signature)) return { ok: false, status: 401, reason: 'replayed' };
    this.seen.set(parsed.signature, true);
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
    } catch {
      return undefined;
    }
  }
}
