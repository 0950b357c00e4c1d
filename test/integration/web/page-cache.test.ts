import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { createHearth } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { argon2Hasher } from '../../../src/domain/members/passwords.js';
import { createLogger } from '../../../src/logger.js';
import { freshHearth, memberVisitor, NO_RATE_LIMITS, openCircle, startThread, Visitor, withSteward, saveSettings } from '../../helpers/test-hearth.js';

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

  it('never keeps for visitors pages for logged-in members, pages with forms, hard reloads or ActivityPub requests', async () => {
    // A member's own pages are kept for them alone (member-page-cache.test.ts), never for visitors.
    await alice.get(path);
    await alice.get(path);
    expect((await visit(path)).text).not.to.contain('/logout');

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

  it('keeps its pages through refused requests and inbox traffic that changes nothing', async () => {
    await visit(path);
    expect((await visit(path)).headers['x-hearth-cache']).to.equal('hit');
    // 415: not an activity; 403: a form without its CSRF token; 404: nothing there.
    expect((await supertest(hearth.app).post('/inbox').set('Content-Type', 'text/plain').send('hello')).status).to.equal(415);
    expect((await supertest(hearth.app).post(`${path}/reply`).type('form').send({ body: 'no token' })).status).to.equal(403);
    expect((await supertest(hearth.app).post('/c/voices/inbox').set('Content-Type', 'application/activity+json').send('{"type":"Like"}')).status).to.be.within(400, 499);
    expect((await visit(path)).headers['x-hearth-cache']).to.equal('hit');
  });

  it('drops only the pages a change touches: the thread and its circle, not other threads', async () => {
    const other = await startThread(alice, 'voices', { title: 'Another', body: 'other words' });
    await visit(path);
    await visit(other);
    await visit('/c/voices');
    expect((await visit(other)).headers['x-hearth-cache']).to.equal('hit');
    expect((await visit('/c/voices')).headers['x-hearth-cache']).to.equal('hit');
    await alice.submit(path, `${path}/reply`, { body: 'a reply that touches one thread' });
    expect((await visit(other)).headers['x-hearth-cache']).to.equal('hit');
    const thread = await visit(path);
    expect(thread.headers['x-hearth-cache']).to.equal(undefined);
    expect(thread.text).to.contain('a reply that touches one thread');
    expect((await visit('/c/voices')).headers['x-hearth-cache']).to.equal(undefined);
  });

  it('drops everything after a successful change that names nothing (a profile saved)', async () => {
    await visit(path);
    expect((await visit(path)).headers['x-hearth-cache']).to.equal('hit');
    const response = await saveSettings(alice, { displayName: 'Alice A.' });
    expect(response.status).to.be.below(400);
    expect((await visit(path)).headers['x-hearth-cache']).to.equal(undefined);
  });

  it('hears of changes made by another process sharing the database within a second', async () => {
    const other = await createHearth({
      config: loadConfig({ PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' }),
      db: hearth.db,
      logger: createLogger('silent'),
      passwordHasher: argon2Hasher('light'),
      rateLimits: NO_RATE_LIMITS,
    });
    try {
      const there = (p: string) => supertest(other.app).get(p);
      await there(path);
      expect((await there(path)).headers['x-hearth-cache']).to.equal('hit');
      await alice.submit(path, `${path}/reply`, { body: 'written through the first process' });
      const started = Date.now();
      for (;;) {
        const page = await there(path);
        if (page.text.includes('written through the first process')) break;
        expect(Date.now() - started, 'the other process still shows the old page').to.be.below(1_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await other.close();
    }
  });
});
