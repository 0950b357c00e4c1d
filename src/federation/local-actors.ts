import type { Apex, ApexObject } from 'activitypub-express';
import type { Services } from '../services.js';
import type { ActorIris } from './actor-iris.js';
import type { ActorKeys, KeyOwner } from './actor-keys.js';
import { serializeGroup, serializeInstanceActor, serializePerson, serializeUnlistedPerson } from './serializers/actors.js';

const FRESH_MS = 60_000;

/**
 * Hearth's own actors as apex needs them: in its store, in its JSON-LD form,
 * with the private key in `_meta`. Hearth's tables stay the source of truth;
 * the store's copy is refreshed at most once a minute per process.
 */
export class LocalActors {
  private readonly fresh = new Map<string, { at: number; actor: ApexObject }>();

  constructor(
    private readonly apex: Apex,
    private readonly services: Omit<Services, 'followed'>,
    private readonly keys: ActorKeys,
    private readonly iris: ActorIris,
    private readonly host: string,
  ) {}

  async circle(slug: string): Promise<ApexObject> {
    return this.project({ kind: 'circle', slug }, async (pem) => serializeGroup(await this.services.circles.getActor(slug), this.iris, pem));
  }

  async member(handle: string): Promise<ApexObject> {
    // Asked first, so that no key is made (and no cached copy used) for someone who left.
    const member = await this.services.members.getByHandle(handle);
    return this.project({ kind: 'member', handle }, async (pem) =>
      member.profileListed ? serializePerson(member, this.iris, pem) : serializeUnlistedPerson(member, this.iris, pem, true),
    );
  }

  async instance(): Promise<ApexObject> {
    return this.project({ kind: 'instance' }, async (pem) => serializeInstanceActor(this.host, this.iris, pem));
  }

  /** Forget cached copies (after a profile or circle changes). */
  forget(): void {
    this.fresh.clear();
  }

  private async project(owner: KeyOwner, build: (publicKeyPem: string) => Promise<Record<string, unknown>>): Promise<ApexObject> {
    const name = owner.kind === 'instance' ? 'instance' : owner.kind === 'circle' ? `c:${owner.slug}` : `u:${owner.handle}`;
    const hit = this.fresh.get(name);
    if (hit && hit.at > Date.now() - FRESH_MS) return structuredClone(hit.actor);
    const keys = await this.keys.get(owner);
    const actor = await this.apex.fromJSONLD(await build(keys.publicKeyPem));
    actor._meta = { privateKey: keys.privateKeyPem };
    const saved = await this.apex.store.saveObject(structuredClone(actor));
    if (!saved) await this.apex.store.updateObject(structuredClone(actor), actor.id, true);
    this.fresh.set(name, { at: Date.now(), actor });
    return structuredClone(actor);
  }
}
