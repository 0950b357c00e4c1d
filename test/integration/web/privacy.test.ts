import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const AP = 'application/activity+json';

describe('private by default (issue 12)', () => {
  let hearth: Hearth;
  let steward: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'inner', 'Inner room', 'members');
  });
  afterEach(() => hearth.close());

  const getJson = async (path: string) => {
    const res = await supertest(hearth.app).get(path).set('Accept', AP);
    return { res, body: JSON.parse(res.text || '{}') as Record<string, unknown> };
  };

  describe('members are not indexed or suggested elsewhere until they choose', () => {
    it('starts with discoverable and indexable false, explains both, and follows the member’s choice', async () => {
      const alice = await memberVisitor(hearth, 'alice');
      let { body } = await getJson('/u/alice');
      expect(body.discoverable).to.equal(false);
      expect(body.indexable).to.equal(false);

      const page = await alice.get('/settings/profile');
      expect(page.text).to.contain('Let other servers suggest me');
      expect(page.text).to.contain('directories');
      expect(page.text).to.contain('full-text search');
      expect(page.text).not.to.match(/id="discoverable"[^>]*checked/);

      const save = await alice.submit('/settings/profile', '/settings/privacy', {
        profileListed: 'on',
        federatePosts: 'on',
        discoverable: 'on',
        indexable: 'on',
      });
      expect(save.status).to.equal(303);
      ({ body } = await getJson('/u/alice'));
      expect(body.discoverable).to.equal(true);
      expect(body.indexable).to.equal(true);
      expect((await alice.get('/settings/profile')).text).to.match(/id="indexable"[^>]*checked/);

      // Saving the form without them turns them off again.
      await alice.submit('/settings/profile', '/settings/privacy', { profileListed: 'on', federatePosts: 'on' });
      ({ body } = await getJson('/u/alice'));
      expect(body.discoverable).to.equal(false);
      expect(body.indexable).to.equal(false);
    });

    it('keeps existing members unindexed after the migration (default false)', async () => {
      await memberVisitor(hearth, 'birch');
      const rows = await hearth.db.query<{ discoverable: boolean; indexable: boolean }>("SELECT discoverable, indexable FROM members WHERE handle = 'birch'");
      expect(rows[0]).to.deep.equal({ discoverable: false, indexable: false });
    });
  });

  describe('members-only circles never leak through ActivityPub (issue 13)', () => {
    it('answers 404 for the actor, its collections, threads, posts and WebFinger, without the name or purpose', async () => {
      const alice = await memberVisitor(hearth, 'alice');
      await alice.submit('/c/inner', '/c/inner/join', {});
      const path = await startThread(steward, 'inner', { title: 'Private', body: 'members only' });
      const postId = /\/p\/(\d+)\/edit/.exec((await steward.get(path)).text)![1]!;
      for (const url of ['/c/inner', '/c/inner/followers', '/c/inner/outbox', path, `/p/${postId}`]) {
        const { res } = await getJson(url);
        expect(res.status, url).to.equal(404);
        expect(res.text, url).not.to.contain('Inner room');
        expect(res.text, url).not.to.contain('Sharing experiences');
      }
      const finger = await supertest(hearth.app).get('/.well-known/webfinger?resource=acct:inner@localhost:3000');
      expect(finger.status).to.equal(404);
      // The public circle still answers.
      expect((await getJson('/c/voices')).res.status).to.equal(200);
      expect((await getJson('/c/voices/followers')).res.status).to.equal(200);
    });
  });
});
