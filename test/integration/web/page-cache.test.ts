import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

describe('the page cache for visitors who are not logged in', () => {
  let hearth: Hearth;
  let alice: Visitor;
  let path: string;
  beforeEach(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    alice = await memberVisitor(hearth, 'alice');
    path = await startThread(alice, 'voices', { title: 'Cached?', body: 'first words' });
  });
  afterEach(() => hearth.close());

  const visit = (p: string, headers: Record<string, string> = {}) => supertest(hearth.app).get(p).set(headers);

  it('serves a repeated visit from the cache, with the same security headers and an ETag', async () => {
    const first = await visit(path);
    expect(first.headers['x-hearth-cache']).to.equal(undefined);
    const second = await visit(path);
    expect(second.headers['x-hearth-cache']).to.equal('hit');
    expect(second.text).to.equal(first.text);
    expect(second.headers['content-security-policy']).to.equal(first.headers['content-security-policy']);
    const again = await visit(path, { 'If-None-Match': second.headers.etag as string });
    expect(again.status).to.equal(304);
  });

  it('shows a new reply at once, whether it came through a form or a service', async () => {
    await visit(path);
    await alice.submit(path, `${path}/reply`, { body: 'a reply through the form' });
    expect((await visit(path)).text).to.contain('a reply through the form');

    await visit(path);
    const member = (await hearth.services.members.getByHandle('alice'));
    await hearth.services.threads.reply(member, Number(path.split('/').pop()), { body: 'a reply from elsewhere' });
    expect((await visit(path)).text).to.contain('a reply from elsewhere');
  });

  it('never caches pages for logged-in members, pages with forms, hard reloads or ActivityPub requests', async () => {
    await alice.get(path);
    expect((await alice.get(path)).headers['x-hearth-cache']).to.equal(undefined);

    await visit('/login');
    const login = await visit('/login');
    expect(login.headers['x-hearth-cache']).to.equal(undefined);
    expect(login.headers['set-cookie']).to.have.length(1);

    await visit(path);
    expect((await visit(path, { 'Cache-Control': 'no-cache' })).headers['x-hearth-cache']).to.equal(undefined);
    expect((await visit(path, { Accept: 'application/activity+json' })).headers['x-hearth-cache']).to.equal(undefined);
  });

  it('does not cache 404 pages', async () => {
    await visit('/c/nowhere');
    const again = await visit('/c/nowhere');
    expect(again.status).to.equal(404);
    expect(again.headers['x-hearth-cache']).to.equal(undefined);
  });
});
