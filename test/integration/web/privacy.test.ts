import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward, saveSettings } from '../../helpers/test-hearth.js';

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

      const save = await saveSettings(alice, { discoverable: 'on', indexable: 'on' });
      expect(save.status).to.equal(303);
      ({ body } = await getJson('/u/alice'));
      expect(body.discoverable).to.equal(true);
      expect(body.indexable).to.equal(true);
      expect((await alice.get('/settings/profile')).text).to.match(/id="indexable"[^>]*checked/);

      // Saving the form without them turns them off again.
      await saveSettings(alice, {});
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

  describe('members-only circles have their own door (issue 13)', () => {
    it('asks to join, the circle’s moderator approves from the review page, and the log does not name who asked', async () => {
      const path = await startThread(steward, 'inner', { title: 'Our room', body: 'Just us here.' });
      const birch = await memberVisitor(hearth, 'birch');
      // Signed up to the instance, but not in the circle: no threads, no meetings, no waiting list.
      expect((await birch.get(path)).status).to.equal(404);
      expect((await birch.get('/waiting')).text).not.to.contain('Our room');
      const door = await birch.get('/c/inner');
      expect(door.status).to.equal(200);
      expect(door.text).to.contain('Ask to join this circle');
      expect(door.text).not.to.contain('Our room');
      expect((await birch.get('/c/inner/new')).status).to.equal(404);

      const ask = await birch.submit('/c/inner', '/c/inner/join', {});
      expect(ask.status).to.equal(303);
      expect(ask.headers.location).to.equal('/c/inner');
      expect((await birch.get('/c/inner')).text).to.contain('You asked to join');
      expect((await birch.get(path)).status).to.equal(404);
      expect((await birch.get('/c/inner/review')).status).to.be.oneOf([403, 404]);

      const review = await steward.get('/c/inner/review');
      expect(review.text).to.contain('Asking to join');
      expect(review.text).to.contain('@birch');
      const id = /\/c\/inner\/join-requests\/(\d+)/.exec(review.text)![1]!;
      const approve = await steward.submit('/c/inner/review', `/c/inner/join-requests/${id}`, { decision: 'approve' });
      expect(approve.status).to.equal(303);

      expect((await birch.get(path)).text).to.contain('Just us here.');
      const log = await steward.get('/c/inner/log');
      expect(log.text).to.contain('A request to join this circle was approved.');
      expect(log.text).not.to.contain('birch');
    });

    it('lets a moderator decline, and the member still cannot read', async () => {
      const path = await startThread(steward, 'inner', { title: 'Our room', body: 'Just us here.' });
      const birch = await memberVisitor(hearth, 'birch');
      await birch.submit('/c/inner', '/c/inner/join', {});
      const review = await steward.get('/c/inner/review');
      const id = /\/c\/inner\/join-requests\/(\d+)/.exec(review.text)![1]!;
      expect((await steward.submit('/c/inner/review', `/c/inner/join-requests/${id}`, { decision: 'decline' })).status).to.equal(303);
      expect((await birch.get(path)).status).to.equal(404);
      expect((await birch.get('/c/inner')).text).to.contain('Ask to join this circle');
      expect((await steward.get('/c/inner/log')).text).to.contain('was declined');
      // Visitors never see the circle at all.
      const visitor = await new Visitor(hearth).get('/c/inner');
      expect(visitor.status).to.equal(404);
      expect(visitor.text).not.to.contain('Inner room');
    });
  });
});

describe('where people look (issues 16, 17)', () => {
  let hearth: Hearth;
  afterEach(() => hearth.close());

  it('shows a circle’s current agreements and its calendar feed even before the first meeting', async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    const page = await new Visitor(hearth).get('/c/voices');
    expect(page.text).to.match(/<details class="agreements[^"]*">\s*<summary>Our agreements in this circle/);
    expect(page.text).to.contain('No meetings are planned yet.');
    expect(page.text).to.contain('href="/c/voices/meetings.ics"');
  });

  it('proposes steward approval at setup, with why', async () => {
    hearth = await freshHearth();
    const page = await new Visitor(hearth).get('/setup');
    expect(page.text).to.match(/id="mode-approval"[^>]*checked/);
    expect(page.text).to.contain('nobody can sign up just to read');
    const v = new Visitor(hearth);
    const res = await v.submit('/setup', '/setup', { name: 'Ours', description: '', registrationMode: 'approval', handle: 'river', password: 'a long enough password' });
    expect(res.status).to.equal(303);
    expect((await hearth.services.instance.get())!.registrationMode).to.equal('approval');
  });

  it('says plainly on the posting forms of a public circle that posts go to other servers, with a link to the privacy choices', async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'inner', 'Inner room', 'members');
    const alice = await memberVisitor(hearth, 'alice');
    const form = await alice.get('/c/voices/new');
    expect(form.text).to.contain('also shared with other servers');
    expect(form.text).to.contain('href="/settings/profile#privacy"');
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'Hi all' });
    expect((await alice.get(path)).text).to.contain('also shared with other servers');
    await saveSettings(alice, { federatePosts: null });
    expect((await alice.get('/c/voices/new')).text).to.contain('stays on this instance');
    expect((await steward.get('/c/inner/new')).text).to.contain('stays with its members');
  });
});
