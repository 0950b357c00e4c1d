import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

describe('web security (HTTP)', () => {
  let hearth: Hearth;
  afterEach(() => hearth.close());

  describe('with an instance and a circle', () => {
    let alice: Visitor;
    beforeEach(async () => {
      hearth = await freshHearth({ rateLimits: { posting: { windowMs: 60_000, limit: 2 } } });
      const steward = await withSteward(hearth);
      await openCircle(steward, 'voices');
      alice = await memberVisitor(hearth, 'alice');
    });

    it('refuses a form without its CSRF token, saves nothing and gives the typed text back', async () => {
      const res = await alice.agent.post('/c/voices/new').type('form').set('Accept', 'text/html')
        .send({ title: 'Lost?', body: 'Words I do not want to lose' });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('This form had expired');
      expect(res.text).to.contain('Words I do not want to lose');
      expect(await hearth.db.query('SELECT 1 FROM threads')).to.have.length(0);
    });

    it('refuses a form from a session that has ended', async () => {
      const token = await alice.token('/c/voices/new');
      await hearth.db.query('DELETE FROM sessions');
      const res = await alice.agent.post('/c/voices/new').type('form').set('Accept', 'text/html')
        .send({ _csrf: token, title: 'Late', body: 'Typed before the session ended' });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('Typed before the session ended');
    });

    it('slows down posting past the limit and keeps the typed text', async () => {
      await startThread(alice, 'voices', { title: 'One', body: 'one' });
      await startThread(alice, 'voices', { title: 'Two', body: 'two' });
      const third = await alice.submit('/c/voices/new', '/c/voices/new', { title: 'Three', body: 'third body text' });
      expect(third.status).to.equal(429);
      expect(third.text).to.contain('third body text');
      expect(await hearth.db.query('SELECT 1 FROM threads')).to.have.length(2);
    });

    it('refuses form fields sent twice instead of guessing', async () => {
      const token = await alice.token('/c/voices/new');
      const res = await alice.agent.post('/c/voices/new').type('form').set('Accept', 'text/html')
        .send(`_csrf=${token}&title=a&title=b&body=x`);
      expect(res.status).to.equal(400);
      expect(await hearth.db.query('SELECT 1 FROM threads')).to.have.length(0);
    });

    it('refuses oversized request bodies with a clear page', async () => {
      const token = await alice.token('/c/voices/new');
      const res = await alice.agent.post('/c/voices/new').type('form').set('Accept', 'text/html')
        .send({ _csrf: token, title: 'Huge', body: 'x'.repeat(200_000) });
      expect(res.status).to.equal(413);
      expect(res.text).to.contain('too much at once');
    });

    it('sends a strict Content-Security-Policy and pages carry no inline script', async () => {
      const path = await startThread(alice, 'voices', { title: 'CSP', body: 'hello' });
      const res = await alice.get(path);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).to.contain("script-src 'self'");
      expect(csp).to.contain("frame-ancestors 'none'");
      expect(csp).not.to.contain('unsafe-inline');
      for (const tag of res.text.match(/<script\b[^>]*>/g) ?? []) expect(tag).to.match(/\ssrc="\/static\//);
      expect(res.text).not.to.match(/\son[a-z]+=/i);
    });

    it('does not redirect to other sites after login', async () => {
      await alice.logout();
      const token = await alice.token('/login');
      const res = await alice.agent.post('/login').type('form')
        .send({ _csrf: token, handle: 'alice', password: 'a long enough password', next: '//evil.example/' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/');
    });
  });

  it('rate-limits login attempts', async () => {
    hearth = await freshHearth({ rateLimits: { login: { windowMs: 60_000, limit: 3 } } });
    await withSteward(hearth);
    const v = new Visitor(hearth);
    for (let i = 0; i < 3; i++) expect((await v.login('river', 'wrong password here')).status).to.equal(401);
    expect((await v.login('river')).status).to.equal(429);
  });

  it('gives visitors who only read no session cookie', async () => {
    hearth = await freshHearth();
    await withSteward(hearth);
    const res = await supertest(hearth.app).get('/');
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
    hearth = await freshHearth({ env: { PUBLIC_URL: 'https://hearth.example.org', TRUST_PROXY: '1' } });
    const res = await supertest(hearth.app).get('/setup').set('X-Forwarded-Proto', 'https');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.match(/^hearth\.sid=/);
    expect(cookie).to.contain('Secure');
    expect(cookie).to.contain('HttpOnly');
    expect(cookie).to.contain('SameSite=Lax');
    expect(res.headers['strict-transport-security']).to.contain('max-age=');
  });

  it('answers /healthz with JSON once the database is reachable', async () => {
    hearth = await freshHearth();
    const res = await supertest(hearth.app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', database: 'reachable' });
  });
});
