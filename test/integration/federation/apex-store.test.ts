import { expect } from 'chai';
import { PostgresApexStore } from '../../../src/federation/apex-store/postgres-apex-store.js';
import { backoffDelayMs, claim, complete, MAX_ATTEMPTS, reschedule, retryHorizonMs } from '../../../src/federation/apex-store/delivery-queue.js';
import type { ApexDocument } from '../../../src/federation/apex-store/documents.js';
import type { Database } from '../../../src/storage/database.js';
import { resetDatabase, testDatabase } from '../../helpers/database.js';

const USER = 'https://localhost/u/test';
const user: ApexDocument = {
  id: USER,
  type: 'Person',
  inbox: [`${USER}/inbox`],
  outbox: [`${USER}/outbox`],
  followers: [`${USER}/followers`],
  preferredUsername: ['test'],
  _meta: { privateKey: 'oldkey' },
};

function create(id: string, objects: Array<Record<string, unknown>>, collection?: string, actor = USER): ApexDocument {
  return {
    id,
    type: 'Create',
    actor: [actor],
    object: objects,
    to: ['https://www.w3.org/ns/activitystreams#Public'],
    ...(collection ? { _meta: { collection: [collection] } } : {}),
  };
}

describe('the PostgreSQL store for activitypub-express', () => {
  let db: Database;
  let store: PostgresApexStore;
  beforeEach(async () => {
    db = await testDatabase();
    await resetDatabase(db);
    store = new PostgresApexStore({ db });
    await store.setup(user);
  });

  describe('objects', () => {
    it('keeps _meta (private keys) out unless includeMeta is exactly true', async () => {
      expect(await store.getObject(USER)).not.to.have.property('_meta');
      expect(await store.getObject(USER, 1 as unknown as boolean)).not.to.have.property('_meta');
      expect((await store.getObject(USER, true))!._meta).to.deep.equal({ privateKey: 'oldkey' });
      expect(await store.getObject('https://nowhere/x')).to.equal(null);
    });

    it('saves an object once', async () => {
      const note = { id: 'https://localhost/o/1', type: 'Note', content: ['hi'] };
      expect(await store.saveObject(note)).to.equal(true);
      expect(await store.saveObject({ ...note, content: ['changed'] })).to.equal(false);
      expect((await store.getObject(note.id))!.content).to.deep.equal(['hi']);
    });

    it('merges partial updates (null removes) and replaces fully when asked', async () => {
      await store.saveObject({ id: 'https://localhost/o/2', type: 'Note', content: ['a'], summary: ['cw'] });
      const merged = await store.updateObject({ id: 'https://localhost/o/2', content: ['b'], summary: null } as unknown as ApexDocument, USER, false);
      expect(merged).to.deep.equal({ id: 'https://localhost/o/2', type: 'Note', content: ['b'] });
      await store.updateObject({ id: 'https://localhost/o/2', type: 'Tombstone' }, USER, true);
      expect(await store.getObject('https://localhost/o/2')).to.deep.equal({ id: 'https://localhost/o/2', type: 'Tombstone' });
      expect(await store.updateObject({ id: 'https://localhost/o/none', type: 'Note' }, USER, true)).to.equal(undefined);
    });
  });

  describe('denormalized updates (ported from apex)', () => {
    it('updates nested objects in activities', async () => {
      const act = create('https://localhost/s/1', [
        { id: 'https://localhost/o/abc123', attributedTo: [USER], type: 'Note', content: ['Hello'] },
        { id: 'https://localhost/o/notupdated', attributedTo: [USER], type: 'Note', content: ['Goodbye'] },
      ]);
      await store.saveActivity(act);
      await store.saveObject((act.object as ApexDocument[])[0]!);
      const updated = { id: 'https://localhost/o/abc123', type: 'Note', attributedTo: [USER], content: ['Hello again'] };
      await store.updateObject(updated, USER, true);
      const after = await store.getActivity(act.id);
      expect(after!.object).to.deep.equal([updated, (act.object as unknown[])[1]]);
    });

    it('updates queued signing keys', async () => {
      await store.deliveryEnqueue(USER, 'hello', user.inbox as string[], 'oldkey');
      await store.updateObject({ ...user, _meta: { privateKey: 'newkey' } }, USER, true);
      const delivery = (await store.deliveryDequeue()) as Record<string, unknown>;
      expect(delivery.after).to.be.instanceOf(Date);
      delete delivery.after;
      expect(delivery).to.deep.equal({ actorId: USER, body: 'hello', address: `${USER}/inbox`, attempt: 0, signingKey: 'newkey' });
    });
  });

  describe('streams', () => {
    it('pages newest first, after the last item of the previous page', async () => {
      for (let i = 1; i <= 5; i++) await store.saveActivity(create(`https://localhost/s/${i}`, [{ id: `https://localhost/o/${i}` }], `${USER}/outbox`));
      const first = await store.getStream(`${USER}/outbox`, 2);
      expect(first.map((a) => a.id)).to.deep.equal(['https://localhost/s/5', 'https://localhost/s/4']);
      const second = await store.getStream(`${USER}/outbox`, 2, first[1]!._id as string);
      expect(second.map((a) => a.id)).to.deep.equal(['https://localhost/s/3', 'https://localhost/s/2']);
      expect(await store.getStreamCount(`${USER}/outbox`)).to.equal(5);
      expect(await store.getStream(`${USER}/outbox`, null)).to.have.length(5);
    });

    it('replaces actors by their stored objects, leaves out unknown actors and blocked ones', async () => {
      const other = 'https://remote.example/u/other';
      await store.saveActivity(create('https://localhost/s/a', [], `${USER}/inbox`));
      await store.saveActivity(create('https://localhost/s/b', [], `${USER}/inbox`, other));
      let stream = await store.getStream(`${USER}/inbox`, 10);
      expect(stream.map((a) => a.id)).to.deep.equal(['https://localhost/s/a']);
      expect(stream[0]!.actor).to.deep.equal([{ id: USER, type: 'Person', inbox: user.inbox, outbox: user.outbox, followers: user.followers, preferredUsername: ['test'] }]);
      await store.saveObject({ id: other, type: 'Person' });
      expect((await store.getStream(`${USER}/inbox`, 10)).map((a) => a.id)).to.deep.equal(['https://localhost/s/b', 'https://localhost/s/a']);
      stream = await store.getStream(`${USER}/inbox`, 10, null, [other]);
      expect(stream.map((a) => a.id)).to.deep.equal(['https://localhost/s/a']);
    });

    it('refuses MongoDB queries and bad page values loudly (ported: apex passes none)', async () => {
      let message = '';
      try {
        await store.getStream(`${USER}/outbox`, 10, null, [], [{ $match: {} }]);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).to.contain('aggregation');
      message = '';
      try {
        await store.getStream(`${USER}/outbox`, 10, 'not-a-page');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).to.equal('ApexStore: invalid page value');
    });
  });

  describe('activities', () => {
    it('saves once, finds by collection and object or actor, and removes only the actor’s own', async () => {
      const act = create('https://localhost/s/f', [{ id: 'https://localhost/o/f' }], `${USER}/followers`);
      expect(await store.saveActivity(act)).to.equal(true);
      expect(await store.saveActivity(act)).to.equal(undefined);
      expect((await store.findActivityByCollectionAndObjectId(`${USER}/followers`, 'https://localhost/o/f'))!.id).to.equal(act.id);
      expect((await store.findActivityByCollectionAndActorId(`${USER}/followers`, USER, true))!._meta).to.deep.equal({ collection: [`${USER}/followers`] });
      expect(await store.findActivityByCollectionAndActorId(`${USER}/inbox`, USER)).to.equal(null);
      expect(await store.removeActivity(act, 'https://someone.else/u/x')).to.equal(0);
      expect(await store.removeActivity(act, USER)).to.equal(1);
      expect(await store.getActivity(act.id)).to.equal(null);
    });

    it('adds and removes collection membership without duplicates', async () => {
      const act = create('https://localhost/s/m', [], `${USER}/inbox`);
      await store.saveActivity(act);
      await store.updateActivityMeta(act, 'collection', `${USER}/likes`);
      const twice = await store.updateActivityMeta(act, 'collection', `${USER}/likes`);
      expect(twice._meta!.collection).to.deep.equal([`${USER}/inbox`, `${USER}/likes`]);
      expect(await store.getStreamCount(`${USER}/likes`)).to.equal(1);
      await store.updateActivityMeta(act, 'collection', `${USER}/likes`, true);
      expect(await store.getStreamCount(`${USER}/likes`)).to.equal(0);
      let message = '';
      try {
        await store.updateActivityMeta({ id: 'https://localhost/s/none' }, 'collection', 'x');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).to.equal('Error updating activity meta: not found');
    });

    it('merges activity updates and returns them with meta', async () => {
      const act = create('https://localhost/s/u', [], `${USER}/outbox`);
      await store.saveActivity(act);
      const updated = await store.updateActivity({ id: act.id, likes: [{ id: 'x', totalItems: [1] }] } as unknown as ApexDocument, false);
      expect(updated.likes).to.deep.equal([{ id: 'x', totalItems: [1] }]);
      expect(updated._meta).to.deep.equal({ collection: [`${USER}/outbox`] });
    });
  });

  it('caches JSON-LD contexts', async () => {
    await store.saveContext({ contextUrl: null, documentUrl: 'https://example.org/ctx', document: '{"@context":{"a":"b"}}' });
    expect(await store.getContext('https://example.org/ctx')).to.deep.equal({ contextUrl: null, documentUrl: 'https://example.org/ctx', document: { '@context': { a: 'b' } } });
    expect(await store.getContext('https://example.org/other')).to.equal(null);
  });

  it('counts local users and makes unique ids', async () => {
    expect(await store.getUserCount()).to.equal(1);
    expect(await store.getUsercount()).to.equal(1);
    expect(store.generateId()).to.match(/^[0-9a-f]{24}$/);
    expect(store.generateId()).not.to.equal(store.generateId());
  });

  describe('the delivery queue', () => {
    it('dequeues in order and says when the next delivery is due', async () => {
      expect(await store.deliveryDequeue()).to.equal(null);
      await store.deliveryEnqueue(USER, 'one', ['https://a.example/inbox', 'https://b.example/inbox'], 'k');
      const first = (await store.deliveryDequeue()) as { address: string };
      const second = (await store.deliveryDequeue()) as { address: string };
      expect([first.address, second.address]).to.deep.equal(['https://a.example/inbox', 'https://b.example/inbox']);
      await store.deliveryRequeue({ address: 'https://a.example/inbox', actorId: USER, signingKey: 'k', body: 'one', attempt: 0, after: new Date() });
      const later = (await store.deliveryDequeue()) as { waitUntil: Date };
      expect(later.waitUntil.getTime()).to.be.greaterThan(Date.now());
    });

    it('backs off exponentially for at least two days, then gives up', async () => {
      const noJitter = () => 0.5;
      expect(backoffDelayMs(0, noJitter)).to.equal(30_000);
      expect(backoffDelayMs(1, noJitter)).to.equal(60_000);
      expect(backoffDelayMs(5, noJitter)).to.equal(960_000);
      expect(backoffDelayMs(30, noJitter)).to.equal(6 * 3600_000);
      expect(retryHorizonMs()).to.be.greaterThan(2 * 86_400_000);
      await store.deliveryEnqueue(USER, 'x', ['https://down.example/inbox'], 'k');
      const [claimed] = await claim(db, 1, 60_000);
      expect(await reschedule(db, claimed!.id, MAX_ATTEMPTS - 1, 'still down')).to.equal(false);
      expect(await store.deliveryDequeue()).to.equal(null);
    });

    it('never hands the same delivery to two workers at once', async () => {
      const addresses = Array.from({ length: 40 }, (_, i) => `https://r${i}.example/inbox`);
      await store.deliveryEnqueue(USER, 'fan-out', addresses, 'k');
      const batches = await Promise.all(Array.from({ length: 8 }, () => claim(db, 10, 60_000)));
      const seen = batches.flat().map((d) => d.address);
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen.length).to.equal(40);
      // Claimed rows stay until done; a finished one is gone for good.
      await complete(db, batches.flat()[0]!.id);
      expect(await claim(db, 100, 60_000)).to.have.length(0);
      // apex's own dequeue skips them too, and says when the leases run out.
      const dequeued = await Promise.all(Array.from({ length: 5 }, () => store.deliveryDequeue()));
      for (const d of dequeued) expect((d as { waitUntil: Date }).waitUntil.getTime()).to.be.greaterThan(Date.now());
    });
  });
});
