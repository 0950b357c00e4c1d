import { expect } from 'chai';
import { createPublicKey } from 'node:crypto';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const AP = 'application/activity+json';
const LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

describe('ActivityPub JSON at the same URLs as the pages', () => {
  let hearth: Hearth;
  let alice: Visitor;
  let steward: Visitor;
  let threadPath: string;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'inner', 'Inner', 'members');
    alice = await memberVisitor(hearth, 'alice');
    threadPath = await startThread(alice, 'voices', { title: 'A hard week', body: 'It was *loud*.', contentWarning: 'voices' });
  });
  afterEach(() => hearth.close());

  const getJson = async (path: string, accept = AP) => {
    const res = await supertest(hearth.app).get(path).set('Accept', accept);
    return { res, body: JSON.parse(res.text) as Record<string, unknown> };
  };

  it('serves a circle as a Group with a usable public key, for both ActivityPub media types', async () => {
    for (const accept of [AP, LD]) {
      const { res, body } = await getJson('/c/voices', accept);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.contain('application/activity+json');
      expect(res.headers.vary).to.contain('Accept');
      expect(body).to.deep.include({
        id: 'http://localhost:3000/c/voices',
        type: 'Group',
        preferredUsername: 'voices',
        name: 'Hearing voices',
        inbox: 'http://localhost:3000/c/voices/inbox',
        followers: 'http://localhost:3000/c/voices/followers',
        manuallyApprovesFollowers: false,
      });
      const key = body.publicKey as { id: string; owner: string; publicKeyPem: string };
      expect(key.owner).to.equal(body.id);
      expect(createPublicKey(key.publicKeyPem).asymmetricKeyType).to.equal('rsa');
    }
    // The key is made once and kept.
    const again = await getJson('/c/voices');
    const first = await getJson('/c/voices');
    expect((again.body.publicKey as { publicKeyPem: string }).publicKeyPem).to.equal((first.body.publicKey as { publicKeyPem: string }).publicKeyPem);
  });

  it('still serves pages to browsers at the same URL', async () => {
    const res = await supertest(hearth.app).get('/c/voices').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.headers['content-type']).to.contain('text/html');
    expect(res.text).to.contain('<h1>Hearing voices');
  });

  it('answers 404 for a members-only circle, its threads and its posts', async () => {
    expect((await getJson('/c/inner')).res.status).to.equal(404);
    await admitToCircle(steward, alice, 'inner');
    const path = await startThread(alice, 'inner', { title: 'Private', body: 'members only' });
    expect((await getJson(path)).res.status).to.equal(404);
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    expect((await getJson(`/p/${postId}`)).res.status).to.equal(404);
  });

  it('serves a member as a Person with only what they chose to share', async () => {
    const { body } = await getJson('/u/alice');
    expect(body).to.deep.include({ id: 'http://localhost:3000/u/alice', type: 'Person', preferredUsername: 'alice', name: 'alice' });
    expect(JSON.stringify(body)).not.to.contain('password');
    expect(JSON.stringify(body)).not.to.contain('email');
    expect((await getJson('/u/nobody')).res.status).to.equal(404);
  });

  it('serves posts as Notes and threads as their context collection', async () => {
    const postId = Number(/\/p\/(\d+)\/edit/.exec((await alice.get(threadPath)).text)![1]!);
    const { body: note } = await getJson(`/p/${postId}`);
    expect(note).to.deep.include({ type: 'Note', name: 'A hard week', summary: 'voices', sensitive: true, context: `http://localhost:3000${threadPath}` });
    const { body: context } = await getJson(threadPath);
    expect(context).to.deep.include({ type: 'OrderedCollection', totalItems: 1, orderedItems: [`http://localhost:3000/p/${postId}`] });
  });

  it('answers a deleted post with a Tombstone and 410 Gone', async () => {
    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(threadPath)).text)![1]!;
    await alice.submit(`/p/${postId}/delete`, `/p/${postId}/delete`, {});
    const { res, body } = await getJson(`/p/${postId}`);
    expect(res.status).to.equal(410);
    expect(body).to.deep.include({ type: 'Tombstone', formerType: 'Note' });
  });

  it('has an instance actor', async () => {
    const { body } = await getJson('/actor');
    expect(body).to.deep.include({ id: 'http://localhost:3000/actor', type: 'Application' });
  });
});
