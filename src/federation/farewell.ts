import type { Apex, ApexObject } from 'activitypub-express';
import type { Logger } from 'pino';
import type { Departure, FarewellPort } from '../domain/leaving/leaving.js';
import type { Queryable, Transaction } from '../storage/database.js';
import {
  departedWithSpentKeys,
  findDeletionByHandle,
  postsForFarewell,
  remoteActorsAround,
  remoteCirclesAround,
} from '../storage/repositories/leaving-repository.js';
import type { ActorKeys } from './actor-keys.js';
import { enqueue } from './apex-store/delivery-queue.js';
import { forgetActor } from './apex-store/forget-actor.js';
import { firstObject, firstString } from './incoming-notes.js';
import type { LocalActors } from './local-actors.js';
import type { NoteIris } from './serializers/note.js';
import { AS_CONTEXT, AS_PUBLIC, HEARTH_CONTEXT } from './vocabulary.js';

interface Outgoing {
  actorId: string;
  privateKeyPem: string;
  body: string;
  addresses: string[];
}

/**
 * Telling other servers that a member left. Every server that received
 * something of theirs gets the member's `Delete` of their own actor (object =
 * the actor, to Public): the followers of every public circle they posted in,
 * their own followers, the servers of everyone who wrote in their threads or
 * whose posts they reacted to, and the circles elsewhere they followed or
 * replied in (which also get an `Undo` of the Follow). With "remove my posts",
 * every post also gets its own `Delete(Tombstone)` as an author's delete does
 * (to the circle's followers, and announced by the circle), because servers
 * that keep a group's threads (Lemmy and others) act on those rather than on
 * an actor's Delete. Everything is signed with the member's key and goes
 * through the durable delivery queue; the key pair is forgotten once the last
 * of these deliveries is done or given up (`tidy`). Until then the actor's
 * 410 Tombstone still shows the public key, so receivers can check the
 * signatures.
 */
export class Farewell implements FarewellPort {
  constructor(
    private readonly o: {
      apex: Apex;
      db: Queryable;
      keys: ActorKeys;
      localActors: LocalActors;
      iris: NoteIris;
      logger: Logger;
      onQueued: () => void;
    },
  ) {}

  async prepare(d: Departure): Promise<(tx: Transaction) => Promise<void>> {
    const memberIri = this.o.iris.member(d.handle);
    const posts = await postsForFarewell(this.o.db, d.memberId);
    const postIris = posts.map((p) => this.o.iris.post(p.id));
    const keys = await this.o.keys.find({ kind: 'member', handle: d.handle });
    // No key was ever made: nothing ever left this instance as them.
    const outgoing = keys ? await this.farewells(d, memberIri, keys.privateKeyPem, posts) : [];
    return async (tx) => {
      await forgetActor(tx, memberIri, postIris);
      for (const o of outgoing) await enqueue(tx, o.actorId, o.body, o.addresses, o.privateKeyPem);
      this.o.localActors.forget();
      if (outgoing.length > 0) setImmediate(this.o.onQueued);
    };
  }

  /** Forgets the key pairs of members who left, once none of their deliveries is waiting. */
  async tidy(): Promise<void> {
    for (const handle of await departedWithSpentKeys(this.o.db, this.o.iris.member(''))) {
      await this.o.keys.forget({ kind: 'member', handle });
    }
  }

  /** What `/u/HANDLE` answers (410) for a member who left, or undefined. */
  async tombstone(handle: string): Promise<Record<string, unknown> | undefined> {
    const deletion = await findDeletionByHandle(this.o.db, handle);
    if (!deletion?.completedAt) return undefined;
    const id = this.o.iris.member(deletion.handle);
    const keys = await this.o.keys.find({ kind: 'member', handle: deletion.handle });
    return {
      '@context': HEARTH_CONTEXT,
      id,
      type: 'Tombstone',
      formerType: 'Person',
      deleted: deletion.completedAt.toISOString(),
      ...(keys ? { publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: keys.publicKeyPem } } : {}),
    };
  }

  private async farewells(d: Departure, memberIri: string, privateKeyPem: string, posts: Awaited<ReturnType<typeof postsForFarewell>>): Promise<Outgoing[]> {
    const out: Outgoing[] = [];
    const everyone = new Set<string>();
    const as = (actorId: string, key: string, activity: Record<string, unknown>, addresses: Iterable<string>) => {
      const list = [...new Set(addresses)];
      if (list.length > 0) out.push({ actorId, privateKeyPem: key, body: JSON.stringify(activity), addresses: list });
    };

    // The followers of each public circle they posted in.
    const circles = new Map<string, { group: ApexObject; addresses: string[] }>();
    for (const slug of new Set(posts.filter((p) => p.circleSlug && p.circleVisibility === 'public').map((p) => p.circleSlug!))) {
      const group = await this.o.localActors.circle(slug).catch(() => undefined);
      if (!group) continue;
      const addresses = await this.followersOf(group);
      circles.set(slug, { group, addresses });
      addresses.forEach((a) => everyone.add(a));
    }
    // Their own followers elsewhere.
    const self = await this.o.localActors.member(d.handle).catch(() => undefined);
    if (self) (await this.followersOf(self)).forEach((a) => everyone.add(a));
    // The servers of people who wrote in their threads, or whose posts they reacted to.
    for (const iri of await remoteActorsAround(this.o.db, d.memberId)) {
      const actor = await this.o.apex.resolveObject(iri).catch(() => undefined);
      const inbox = firstString(firstObject(actor?.endpoints)?.sharedInbox) ?? firstString(actor?.inbox);
      if (inbox) everyone.add(inbox);
    }
    // Circles elsewhere they followed (the Follow is undone) or replied in.
    for (const rc of await remoteCirclesAround(this.o.db, d.memberId)) {
      everyone.add(rc.inbox);
      if (rc.followIri) {
        as(memberIri, privateKeyPem, {
          '@context': AS_CONTEXT,
          id: `${rc.followIri}#undo`,
          type: 'Undo',
          actor: memberIri,
          object: { id: rc.followIri, type: 'Follow', actor: memberIri, object: rc.iri },
          to: [rc.iri],
        }, [rc.inbox]);
      }
    }

    if (d.posts === 'remove') {
      const deleted = new Date().toISOString();
      for (const post of posts.filter((p) => p.state !== 'deleted')) {
        const postIri = this.o.iris.post(post.id);
        const circle = post.circleSlug ? circles.get(post.circleSlug) : undefined;
        const circleIri = circle ? circle.group.id : post.remoteCircleIri;
        if (!circleIri) continue; // a members-only circle: nothing of it left this instance
        const del: Record<string, unknown> = {
          id: `${postIri}#delete`,
          type: 'Delete',
          actor: memberIri,
          object: { id: postIri, type: 'Tombstone', formerType: 'Note', deleted },
          to: [AS_PUBLIC],
          cc: circle ? [circleIri, `${circleIri}/followers`] : [circleIri],
          audience: circleIri,
        };
        if (circle) {
          as(memberIri, privateKeyPem, { '@context': HEARTH_CONTEXT, ...del }, circle.addresses);
          const groupKey = (circle.group._meta as { privateKey?: string } | undefined)?.privateKey;
          if (groupKey) {
            as(circle.group.id, groupKey, {
              '@context': HEARTH_CONTEXT,
              id: `${postIri}#delete-announce`,
              type: 'Announce',
              actor: circleIri,
              object: del,
              to: [AS_PUBLIC],
              cc: [`${circleIri}/followers`],
              audience: circleIri,
            }, circle.addresses);
          }
        } else if (post.remoteCircleInbox) {
          as(memberIri, privateKeyPem, { '@context': HEARTH_CONTEXT, ...del }, [post.remoteCircleInbox]);
        }
      }
    }

    // Last, so that servers act on the posts before forgetting the person.
    as(memberIri, privateKeyPem, { '@context': AS_CONTEXT, id: `${memberIri}#delete`, type: 'Delete', actor: memberIri, object: memberIri, to: [AS_PUBLIC] }, everyone);
    this.o.logger.info({ member: d.handle, servers: everyone.size, activities: out.length }, 'farewell deliveries prepared');
    return out;
  }

  /**
   * The inboxes of an actor's followers (shared inboxes where offered), as
   * apex addresses them. Best effort: an inbox that cannot be found must not
   * keep someone from leaving.
   */
  private async followersOf(actor: ApexObject): Promise<string[]> {
    const followers = (actor.followers as string[] | undefined)?.[0];
    if (!followers) return [];
    try {
      const probe = await this.o.apex.buildActivity('Announce', actor.id, followers, {});
      return await this.o.apex.address(probe, actor);
    } catch (err) {
      this.o.logger.warn({ err, actor: actor.id }, 'followers not found for a farewell');
      return [];
    }
  }
}
