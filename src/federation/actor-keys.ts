import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Queryable } from '../storage/database.js';
import { deleteKeys, findKeys, insertKeysOnce, type KeyPair } from '../storage/repositories/actor-key-repository.js';

const generate = promisify(generateKeyPair);

export type KeyOwner = { kind: 'circle'; slug: string } | { kind: 'member'; handle: string } | { kind: 'instance' };

export function ownerKey(owner: KeyOwner): string {
  if (owner.kind === 'instance') return 'instance';
  return owner.kind === 'circle' ? `c:${owner.slug}` : `u:${owner.handle}`;
}

/**
 * RSA key pairs for Hearth's actors, made the first time an actor is needed
 * (2048 bits, what Mastodon uses) and kept in the database.
 */
export class ActorKeys {
  private readonly cache = new Map<string, KeyPair>();

  constructor(private readonly db: Queryable) {}

  async get(owner: KeyOwner): Promise<KeyPair> {
    const key = ownerKey(owner);
    const cached = this.cache.get(key);
    if (cached) return cached;
    let pair = await findKeys(this.db, key);
    if (!pair) {
      const made = await generate('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      pair = await insertKeysOnce(this.db, key, { publicKeyPem: made.publicKey, privateKeyPem: made.privateKey });
    }
    this.cache.set(key, pair);
    return pair;
  }

  /** The pair if one was ever made; never makes one (for members who left). */
  find(owner: KeyOwner): Promise<KeyPair | undefined> {
    return findKeys(this.db, ownerKey(owner));
  }

  async forget(owner: KeyOwner): Promise<void> {
    const key = ownerKey(owner);
    this.cache.delete(key);
    await deleteKeys(this.db, key);
  }
}
