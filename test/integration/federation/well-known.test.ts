import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, startThread, withSteward } from '../../helpers/test-hearth.js';

describe('WebFinger and NodeInfo', () => {
  let hearth: Hearth;
  beforeEach(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'inner', 'Inner', 'members');
    const alice = await memberVisitor(hearth, 'alice');
    await startThread(alice, 'voices', { title: 'Hello', body: 'first' });
  });
  afterEach(() => hearth.close());

  const finger = (resource?: string) =>
    supertest(hearth.app).get('/.well-known/webfinger').query(resource === undefined ? {} : { resource });

  it('finds a circle as a Group by @slug@host', async () => {
    const res = await finger('acct:voices@localhost:3000');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('application/jrd+json');
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    const body = JSON.parse(res.text) as { subject: string; links: Array<{ rel: string; type: string; href: string; properties?: Record<string, string> }> };
    expect(body.subject).to.equal('acct:voices@localhost:3000');
    const self = body.links.find((l) => l.rel === 'self')!;
    expect(self).to.deep.include({ type: 'application/activity+json', href: 'http://localhost:3000/c/voices' });
    expect(self.properties!['https://www.w3.org/ns/activitystreams#type']).to.equal('Group');
  });

  it('finds a member as a Person, by acct: or by their URL, ignoring case', async () => {
    for (const resource of ['acct:Alice@LOCALHOST:3000', 'http://localhost:3000/u/alice']) {
      const res = await finger(resource);
      expect(res.status, resource).to.equal(200);
      const body = JSON.parse(res.text) as { links: Array<{ rel: string; href: string; properties?: Record<string, string> }> };
      const self = body.links.find((l) => l.rel === 'self')!;
      expect(self.href).to.equal('http://localhost:3000/u/alice');
      expect(self.properties!['https://www.w3.org/ns/activitystreams#type']).to.equal('Person');
    }
  });

  it('does not reveal members-only circles, other hosts or unknown names', async () => {
    for (const resource of ['acct:inner@localhost:3000', 'acct:voices@elsewhere.example', 'acct:nobody@localhost:3000', 'http://localhost:3000/c/../u/alice']) {
      expect((await finger(resource)).status, resource).to.equal(404);
    }
  });

  it('answers malformed questions with 400', async () => {
    expect((await finger()).status).to.equal(400);
    expect((await finger('')).status).to.equal(400);
    expect((await finger('x'.repeat(600))).status).to.equal(400);
    expect((await supertest(hearth.app).get('/.well-known/webfinger?resource=a&resource=b')).status).to.equal(400);
  });

  it('describes the instance with NodeInfo 2.1', async () => {
    const index = await supertest(hearth.app).get('/.well-known/nodeinfo');
    expect(index.body.links[0]).to.deep.equal({ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.1', href: 'http://localhost:3000/nodeinfo/2.1' });
    const res = await supertest(hearth.app).get('/nodeinfo/2.1');
    expect(res.headers['content-type']).to.contain('nodeinfo.diaspora.software/ns/schema/2.1');
    const info = JSON.parse(res.text) as Record<string, unknown>;
    expect(info).to.deep.include({ version: '2.1', protocols: ['activitypub'], openRegistrations: true });
    expect(info.software).to.deep.include({ name: 'hearth' });
    expect(info.usage).to.deep.equal({ users: { total: 2, activeMonth: 1, activeHalfyear: 1 }, localPosts: 1 });
    expect(info.metadata).to.deep.include({ nodeName: 'Test Hearth' });
  });
});
