import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import supertest from 'supertest';
import { createHearth, type Hearth } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { argon2Hasher } from '../../../src/domain/members/passwords.js';
import { createLogger } from '../../../src/logger.js';
import { DEFAULT_RATE_LIMITS } from '../../../src/web/rate-limits.js';
import { freshHearth, memberVisitor, NO_RATE_LIMITS, openCircle, Visitor, withSteward, saveSettings } from '../../helpers/test-hearth.js';

const PASSWORD = 'a long enough password';
const NEW_PASSWORD = 'a brand new password';

/** A visitor whose requests come from `address` (Hearth trusts one proxy in these tests). */
class From extends Visitor {
  constructor(hearth: Hearth, readonly address: string) {
    super(hearth);
  }
  override get(path: string) {
    return super.get(path).set('X-Forwarded-For', this.address);
  }
  override async submit(pagePath: string, action: string, fields: Record<string, string>) {
    const token = await this.token(pagePath);
    return this.agent.post(action).type('form').set('Accept', 'text/html').set('X-Forwarded-For', this.address).send({ ...fields, _csrf: token });
  }
}

const behindProxy = { TRUST_PROXY: '1' };
/** Handlebars writes "=" in pages as &#x3D;. */
const unescape = (html: string) => html.replaceAll('&#x3D;', '=');

describe('accounts and their safety (HTTP)', () => {
  let hearth: Hearth;
  afterEach(() => hearth.close());

  describe('login limits', () => {
    it('lets 15 people log in from one address, one after another', async () => {
      hearth = await freshHearth({ env: behindProxy, rateLimits: { login: DEFAULT_RATE_LIMITS.login, loginAddress: DEFAULT_RATE_LIMITS.loginAddress } });
      await withSteward(hearth);
      for (let i = 0; i < 15; i++) {
        const res = await new From(hearth, '203.0.113.7').login('river');
        expect(res.status, `login ${i + 1}`).to.equal(303);
      }
    });

    it('pauses a handle’s password attempts after wrong passwords from several addresses, and says when to try again', async () => {
      hearth = await freshHearth({ env: behindProxy, rateLimits: { login: { windowMs: 15 * 60_000, limit: 3 } } });
      await withSteward(hearth);
      await memberVisitor(hearth, 'alice');
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        expect((await new From(hearth, address).login('alice', 'not her password at all')).status).to.equal(401);
      }
      const right = await new From(hearth, '198.51.100.4').login('alice');
      expect(right.status).to.equal(429);
      expect(right.text).to.contain('Logging in here is paused for a while');
      expect(right.text).to.match(/try again in about 1[45] minutes/);
      expect(right.text).to.contain('value="alice"');

      // A handle nobody has gets exactly the same answers: nothing is revealed.
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        expect((await new From(hearth, address).login('nobody_here', 'not her password at all')).status).to.equal(401);
      }
      const ghost = await new From(hearth, '198.51.100.4').login('nobody_here', 'whatever it is now');
      expect(ghost.status).to.equal(429);
      expect(ghost.text).to.contain('Logging in here is paused for a while');

      // Other members are not affected, from the same addresses.
      expect((await new From(hearth, '198.51.100.1').login('river')).status).to.equal(303);
    });

    it('pauses one address trying wrong passwords across many handles', async () => {
      hearth = await freshHearth({ env: behindProxy, rateLimits: { loginAddress: { windowMs: 15 * 60_000, limit: 4 } } });
      await withSteward(hearth);
      for (const handle of ['ash', 'birch', 'cedar', 'river']) {
        expect((await new From(hearth, '192.0.2.9').login(handle, 'guessing a password')).status).to.equal(401);
      }
      const next = await new From(hearth, '192.0.2.9').login('dawn', 'guessing a password');
      expect(next.status).to.equal(429);
      expect(next.text).to.contain('Logging in here is paused');
      // The counts are kept in the database.
      const rows = await hearth.db.query<{ count: number }>("SELECT count FROM rate_limit_counters WHERE key LIKE 'login-address:%'");
      expect(rows[0]!.count).to.equal(4);
      // Someone else, elsewhere, logs in as usual.
      expect((await new From(hearth, '192.0.2.200').login('river')).status).to.equal(303);
    });

    it('keeps counting in the database: another Hearth process on the same database sees the same limit', async () => {
      hearth = await freshHearth({ env: behindProxy, rateLimits: { login: { windowMs: 15 * 60_000, limit: 2 } } });
      await withSteward(hearth);
      await new From(hearth, '198.51.100.1').login('river', 'wrong one here');
      const other = await createHearth({
        config: loadConfig({ PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', ...behindProxy }),
        db: hearth.db,
        logger: createLogger('silent'),
        passwordHasher: argon2Hasher('light'),
        rateLimits: { ...NO_RATE_LIMITS, login: { windowMs: 15 * 60_000, limit: 2 } },
      });
      try {
        expect((await new From(other, '198.51.100.2').login('river', 'wrong two here')).status).to.equal(401);
        expect((await new From(hearth, '198.51.100.3').login('river')).status).to.equal(429);
      } finally {
        await other.close();
      }
    });

    it('ends a pause once its window has passed', async () => {
      hearth = await freshHearth({ rateLimits: { login: { windowMs: 15 * 60_000, limit: 1 } } });
      await withSteward(hearth);
      expect((await new Visitor(hearth).login('river', 'not the password')).status).to.equal(401);
      expect((await new Visitor(hearth).login('river')).status).to.equal(429);
      // The window ends (as if 15 minutes had passed): counting starts again.
      await hearth.db.query("UPDATE rate_limit_counters SET reset_at = now() - interval '1 second'");
      expect((await new Visitor(hearth).login('river')).status).to.equal(303);
      expect((await new Visitor(hearth).login('river', 'not the password')).status).to.equal(401);
      const [row] = await hearth.db.query<{ count: number }>("SELECT count FROM rate_limit_counters WHERE key = 'login-account:river'");
      expect(row!.count).to.equal(1);
    });

    it('slows down a burst of proposals, keeps what was typed, and writes no more log entries', async () => {
      hearth = await freshHearth({ rateLimits: { proposals: { windowMs: 60 * 60_000, limit: 2 } } });
      const steward = await withSteward(hearth);
      await openCircle(steward, 'voices');
      const alice = await memberVisitor(hearth, 'alice');
      await alice.submit('/c/voices/moderation', '/c/voices/join', {});
      const propose = (text: string) =>
        alice.submit('/c/voices/proposals/new?kind=agreements', '/c/voices/proposals', { kind: 'agreements', agreements: text, body: `Why: ${text}`, votingDays: '2' });
      expect((await propose('Be kind.')).status).to.equal(303);
      expect((await propose('Be gentle.')).status).to.equal(303);
      const logged = await hearth.db.query('SELECT 1 FROM moderation_log');
      const third = await propose('Listen before answering.');
      expect(third.status).to.equal(429);
      expect(third.text).to.contain('take a short pause');
      expect(third.text).to.contain('Listen before answering.');
      expect(await hearth.db.query('SELECT 1 FROM moderation_log')).to.have.length(logged.length);
      expect(await hearth.db.query('SELECT 1 FROM proposals')).to.have.length(2);
    });

    it('limits blocking and unblocking', async () => {
      hearth = await freshHearth({ rateLimits: { blocks: { windowMs: 60 * 60_000, limit: 1 } } });
      await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      await memberVisitor(hearth, 'birch');
      expect((await alice.submit('/moderation', '/moderation/blocks', { handle: 'birch' })).status).to.equal(303);
      const again = await alice.submit('/moderation', '/moderation/blocks', { handle: 'birch', unblock: '1' });
      expect(again.status).to.equal(429);
      expect(again.text).to.contain('blocking and unblocking');
    });

    it('limits saving one’s profile', async () => {
      hearth = await freshHearth({ rateLimits: { profile: { windowMs: 10 * 60_000, limit: 1 } } });
      await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      const save = (bio: string) => saveSettings(alice, { bio });
      expect((await save('First words')).status).to.equal(303);
      const second = await save('Second words about me');
      expect(second.status).to.equal(429);
      expect(second.text).to.contain('Second words about me');
    });
  });

  describe('passwords', () => {
    it('changes a password: the current one is needed, other logins end, this one stays, the new one works', async () => {
      hearth = await freshHearth();
      await withSteward(hearth);
      const here = await memberVisitor(hearth, 'alice');
      const elsewhere = new Visitor(hearth);
      expect((await elsewhere.login('alice')).status).to.equal(303);

      const wrong = await here.submit('/settings/password', '/settings/password', { currentPassword: 'not my password', password: NEW_PASSWORD });
      expect(wrong.status).to.equal(400);
      expect(wrong.text).to.contain('That isn’t your current password');
      expect(wrong.text).to.contain('action="/settings/password"');
      expect(wrong.text).not.to.contain(NEW_PASSWORD);
      expect((await elsewhere.get('/settings/password')).status).to.equal(200);

      const changed = await here.submit('/settings/password', '/settings/password', { currentPassword: PASSWORD, password: NEW_PASSWORD });
      expect(changed.status).to.equal(303);
      const page = await here.get('/settings/password?changed=1');
      expect(page.status).to.equal(200);
      expect(page.headers['cache-control']).to.equal('private, no-store');
      expect(page.text).to.contain('Your password is changed');
      expect((await elsewhere.get('/settings/password')).headers.location).to.match(/^\/login/);

      expect((await new Visitor(hearth).login('alice', PASSWORD)).status).to.equal(401);
      expect((await new Visitor(hearth).login('alice', NEW_PASSWORD)).status).to.equal(303);
    });

    it('recovery codes: shown once, each works once, wrong ones refused, logins end', async () => {
      hearth = await freshHearth();
      await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      const made = await alice.submit('/settings/password', '/settings/recovery-codes', {});
      expect(made.status).to.equal(303);
      const shown = await alice.get(made.headers.location as string);
      expect(shown.headers['cache-control']).to.equal('private, no-store');
      const codes = [...shown.text.matchAll(/<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/g)].map((m) => m[1]!);
      expect(codes).to.have.length(10);
      expect(new Set(codes).size).to.equal(10);
      // Shown once only, and not kept readable anywhere.
      const again = await alice.get('/settings/recovery-codes');
      expect(again.status).to.equal(303);
      const stored = JSON.stringify(await hearth.db.query('SELECT * FROM recovery_codes')) + JSON.stringify(await hearth.db.query('SELECT data FROM sessions'));
      for (const code of codes) expect(stored).not.to.contain(code);
      expect((await alice.get('/settings/password')).text).to.contain('You have 10 unused codes');

      const recover = (code: string, password = NEW_PASSWORD) =>
        new Visitor(hearth).submit('/login/recover', '/login/recover', { handle: 'alice', code, password });
      const wrong = await recover('aaaa-bbbb-cccc-dddd');
      expect(wrong.status).to.equal(400);
      expect(wrong.text).to.contain('don’t match');
      expect(wrong.text).to.contain('value="alice"');

      const used = await recover(codes[0]!.toUpperCase());
      expect(used.status).to.equal(303);
      expect(used.headers.location).to.equal('/login?recovered=1');
      expect((await alice.get('/settings/password')).headers.location).to.match(/^\/login/);
      expect((await new Visitor(hearth).login('alice', NEW_PASSWORD)).status).to.equal(303);

      expect((await recover(codes[0]!, 'yet another password')).status).to.equal(400);
      expect((await recover(codes[1]!, 'yet another password')).status).to.equal(303);
      expect((await new Visitor(hearth).login('alice', 'yet another password')).status).to.equal(303);
    });

    it('making a new set of recovery codes replaces the old set', async () => {
      hearth = await freshHearth();
      await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      const codesFrom = async () => {
        const made = await alice.submit('/settings/password', '/settings/recovery-codes', {});
        const shown = await alice.get(made.headers.location as string);
        return [...shown.text.matchAll(/<code>([a-z2-9-]{19})<\/code>/g)].map((m) => m[1]!);
      };
      const first = await codesFrom();
      const second = await codesFrom();
      const recover = (code: string) => new Visitor(hearth).submit('/login/recover', '/login/recover', { handle: 'alice', code, password: NEW_PASSWORD });
      expect((await recover(first[0]!)).status).to.equal(400);
      expect((await recover(second[0]!)).status).to.equal(303);
    });

    it('pauses recovery-code guessing for a handle', async () => {
      hearth = await freshHearth({ env: behindProxy, rateLimits: { login: { windowMs: 15 * 60_000, limit: 3 } } });
      await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      const made = await alice.submit('/settings/password', '/settings/recovery-codes', {});
      const shown = await alice.get(made.headers.location as string);
      const code = /<code>([a-z2-9-]{19})<\/code>/.exec(shown.text)![1]!;
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        const res = await new From(hearth, address).submit('/login/recover', '/login/recover', { handle: 'alice', code: 'zzzz-zzzz-zzzz-zzzz', password: NEW_PASSWORD });
        expect(res.status).to.equal(400);
      }
      const paused = await new From(hearth, '198.51.100.4').submit('/login/recover', '/login/recover', { handle: 'alice', code, password: NEW_PASSWORD });
      expect(paused.status).to.equal(429);
      expect(paused.text).to.contain('Logging in here is paused');
      // Logging in as alice is paused too, whatever the password.
      expect((await new From(hearth, '198.51.100.5').login('alice')).status).to.equal(429);
    });

    it('a steward’s reset link: shown once, logged without the link, works once, ends logins', async () => {
      hearth = await freshHearth();
      const steward = await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      const issued = await steward.submit('/steward/members', '/steward/members/reset-link', { handle: 'alice' });
      expect(issued.status).to.equal(303);
      const page = await steward.get('/steward/members');
      const link = /<code>(http:\/\/localhost:3000\/login\/reset\?token=[A-Za-z0-9_-]+)<\/code>/.exec(unescape(page.text))?.[1];
      expect(link, 'the link is shown').to.be.a('string');
      expect((await steward.get('/steward/members')).text).not.to.contain(link!);
      const token = new URL(link!).searchParams.get('token')!;

      const log = await new Visitor(hearth).get('/moderation/log');
      expect(log.text).to.contain('A steward made a one-time password reset link for @alice');
      expect(log.text).not.to.contain(token);
      expect(JSON.stringify(await hearth.db.query('SELECT * FROM password_resets'))).not.to.contain(token);

      const visitor = new Visitor(hearth);
      const form = await visitor.get(`/login/reset?token=${token}`);
      expect(form.status).to.equal(200);
      expect(form.headers['cache-control']).to.equal('private, no-store');
      const short = await visitor.submit(`/login/reset?token=${token}`, '/login/reset', { token, password: 'short' });
      expect(short.status).to.equal(400);
      expect(short.text).to.contain('at least 10 characters');
      const done = await visitor.submit(`/login/reset?token=${token}`, '/login/reset', { token, password: NEW_PASSWORD });
      expect(done.status).to.equal(303);
      expect((await alice.get('/settings/password')).headers.location).to.match(/^\/login/);
      expect((await new Visitor(hearth).login('alice', NEW_PASSWORD)).status).to.equal(303);

      const second = await new Visitor(hearth).get(`/login/reset?token=${token}`);
      expect(second.status).to.equal(410);
      expect(second.text).to.contain('expired or was already used');
    });

    it('a reset link stops working after 24 hours, and only stewards make them', async () => {
      const clock = new ManualClock(new Date());
      hearth = await freshHearth({ clock });
      const steward = await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      expect((await alice.submit('/settings/password', '/steward/members/reset-link', { handle: 'river' })).status).to.equal(403);
      const missing = await steward.submit('/steward/members', '/steward/members/reset-link', { handle: 'nobody_here' });
      expect(missing.status).to.equal(400);
      expect(missing.text).to.contain('There’s no member with that handle here.');

      await steward.submit('/steward/members', '/steward/members/reset-link', { handle: 'alice' });
      const link = /<code>(http[^<]+)<\/code>/.exec(unescape((await steward.get('/steward/members')).text))![1]!;
      const token = new URL(link).searchParams.get('token')!;
      clock.advance(23 * 3_600_000);
      expect((await new Visitor(hearth).get(`/login/reset?token=${token}`)).status).to.equal(200);
      clock.advance(2 * 3_600_000);
      expect((await new Visitor(hearth).get(`/login/reset?token=${token}`)).status).to.equal(410);
      const v = new Visitor(hearth);
      const csrf = await v.token('/login');
      const late = await v.agent.post('/login/reset').type('form').set('Accept', 'text/html').send({ _csrf: csrf, token, password: NEW_PASSWORD });
      expect(late.status, late.text).to.equal(404);
      expect((await new Visitor(hearth).login('alice')).status).to.equal(303);
    });
  });

  it('codes and links do not bring back an account its member asked to delete', async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    const alice = await memberVisitor(hearth, 'alice');
    const made = await alice.submit('/settings/password', '/settings/recovery-codes', {});
    const code = /<code>([a-z2-9-]{19})<\/code>/.exec((await alice.get(made.headers.location as string)).text)![1]!;
    await steward.submit('/steward/members', '/steward/members/reset-link', { handle: 'alice' });
    const link = /<code>(http[^<]+)<\/code>/.exec(unescape((await steward.get('/steward/members')).text))![1]!;
    await hearth.db.query("INSERT INTO account_deletions (handle, member_id, posts) VALUES ('alice', 2, 'keep')");
    expect((await new Visitor(hearth).submit('/login/recover', '/login/recover', { handle: 'alice', code, password: NEW_PASSWORD })).status).to.equal(400);
    expect((await new Visitor(hearth).get(new URL(link).pathname + new URL(link).search)).status).to.equal(410);
  });

  describe('small leaks', () => {
    it('never writes invite codes or reset tokens to the access log', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      hearth = await freshHearth({ logger: pino({ level: 'info' }, sink) });
      const steward = await withSteward(hearth);
      await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: '', registrationMode: 'invite' });
      await steward.submit('/steward/invites', '/steward/invites', { note: '', days: '7' });
      const code = /register\?invite=([A-Za-z0-9_-]+)/.exec(unescape((await steward.get('/steward/invites')).text))![1]!;
      const newcomer = new Visitor(hearth);
      expect((await newcomer.register('sparrow', PASSWORD, { invite: code })).status).to.equal(303);
      await new Visitor(hearth).get('/login/reset?token=a-secret-reset-token');
      const log = lines.join('');
      expect(log).to.contain('"url":"/register"');
      expect(log).to.contain('"url":"/login/reset"');
      expect(log).not.to.contain(code);
      expect(log).not.to.contain('a-secret-reset-token');
    });

    it('clears the session cookie on logout and asks the browser to drop cached pages', async () => {
      hearth = await freshHearth();
      const steward = await withSteward(hearth);
      const res = await steward.logout();
      expect(res.status).to.equal(303);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).to.match(/^hearth\.sid=;/);
      expect(cookie).to.contain('Expires=Thu, 01 Jan 1970');
      expect(cookie).to.contain('Path=/');
      expect(cookie).to.contain('HttpOnly');
      expect(cookie).to.contain('SameSite=Lax');
      expect(res.headers['clear-site-data']).to.equal('"cache"');
      expect((await steward.get('/settings/password')).headers.location).to.match(/^\/login/);
    });

    it('sends a Permissions-Policy that switches off features Hearth never uses', async () => {
      hearth = await freshHearth();
      await withSteward(hearth);
      const policy = String((await supertest(hearth.app).get('/')).headers['permissions-policy']);
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'interest-cohort', 'browsing-topics']) {
        expect(policy).to.contain(`${feature}=()`);
      }
    });
  });
});
