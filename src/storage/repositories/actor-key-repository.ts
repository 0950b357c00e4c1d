import type { Queryable } from '../database.js';

export interface KeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export async function findKeys(q: Queryable, owner: string): Promise<KeyPair | undefined> {
  const rows = await q.query<{ public_key_pem: string; private_key_pem: string }>(
    'SELECT public_key_pem, private_key_pem FROM actor_keys WHERE owner = $1',
    [owner],
  );
  const r = rows[0];
  return r && { publicKeyPem: r.public_key_pem, privateKeyPem: r.private_key_pem };
}

/** Stores a new pair unless another process stored one first; returns the pair that is kept. */
export async function insertKeysOnce(q: Queryable, owner: string, keys: KeyPair): Promise<KeyPair> {
  await q.query(
    'INSERT INTO actor_keys (owner, public_key_pem, private_key_pem) VALUES ($1, $2, $3) ON CONFLICT (owner) DO NOTHING',
    [owner, keys.publicKeyPem, keys.privateKeyPem],
  );
  return (await findKeys(q, owner))!;
}

/** Forgets an actor's key pair (a member who left, once their Deletes are delivered). */
export async function deleteKeys(q: Queryable, owner: string): Promise<void> {
  await q.query('DELETE FROM actor_keys WHERE owner = $1', [owner]);
}
