import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, saveSettings, Visitor, withSteward } from '../../helpers/test-hearth.js';

describe('setting up an instance and accounts (HTTP)', () => {
  let hearth: Hearth;
  beforeEach(async () => {
    hearth = await freshHearth();
  });
  afterEach(() => hearth.close());

  it('sends the first visitor to setup, and setup makes them a logged-in steward', async () => {
    const v = new Visitor(hearth);
    const home = await v.get('/');
    expect(home.status).to.equal(303);
    expect(home.headers.location).to.equal('/setup');

    const done = await v.setUp('river');
    expect(done.headers.location).to.equal('/?welcome=steward');
    const after = await v.get('/?welcome=steward');
    expect(after.status).to.equal(200);
    expect(after.text).to.contain('You are its first steward');
    expect(after.text).to.contain('Steward tools');
    // Setup cannot be done twice.
    expect((await v.get('/setup')).headers.location).to.equal('/');
  });

  it('keeps what was typed and explains each problem when setup input is wrong', async () => {
    const v = new Visitor(hearth);
    const res = await v.submit('/setup', '/setup', {
      name: '',
      description: 'Our group',
      handle: 'Bad Handle!',
      password: 'short',
    });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('The name can’t be empty.');
    expect(res.text).to.contain('lower-case letters, numbers and _ only');
    expect(res.text).to.contain('at least 10 characters');
    expect(res.text).to.contain('value="Bad Handle!"');
    expect(res.text).to.contain('Our group');
    expect(res.text).not.to.contain('short');
    // Nothing was saved: the instance still needs setting up.
    expect((await new Visitor(hearth).get('/')).headers.location).to.equal('/setup');
  });

  it('registers with a pseudonymous handle and no e-mail, logs out and in again', async () => {
    await withSteward(hearth);
    const v = await memberVisitor(hearth, 'willow');
    expect((await v.get('/')).text).to.contain('Your page');
    await v.logout();
    expect((await v.get('/')).text).to.contain('Log in');
    const back = await v.login('WILLOW');
    expect(back.status).to.equal(303);
    expect((await v.get('/')).text).to.contain('/u/willow');
  });

  it('refuses a wrong password with a clear message and keeps the handle typed', async () => {
    await withSteward(hearth);
    await memberVisitor(hearth, 'willow');
    const v = new Visitor(hearth);
    const res = await v.login('willow', 'not the password at all');
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('handle and password don&#x27;t match');
    expect(res.text).to.contain('value="willow"');
  });

  it('refuses duplicate handles, also when a circle already uses the name', async () => {
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    await memberVisitor(hearth, 'willow');
    for (const taken of ['willow', 'voices', 'river']) {
      const res = await new Visitor(hearth).register(taken);
      expect(res.status, taken).to.equal(409);
      expect(res.text).to.contain('already taken');
      expect(res.text).to.contain(`value="${taken}"`);
    }
  });

  it('holds new accounts for a steward in approval mode', async () => {
    const steward = await withSteward(hearth);
    await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: '', registrationMode: 'approval', timeZone: 'UTC' });
    const v = new Visitor(hearth);
    const res = await v.register('sparrow');
    expect(res.status).to.equal(202);
    expect(res.text).to.contain('Your request to join was sent');

    const early = await v.login('sparrow');
    expect(early.status).to.equal(401);
    expect(early.text).to.contain('still waiting for a steward');

    const queue = await steward.get('/steward/members');
    expect(queue.text).to.contain('@sparrow');
    const id = /\/steward\/members\/(\d+)\/approve/.exec(queue.text)![1]!;
    const ok = await steward.submit('/steward/members', `/steward/members/${id}/approve`, {});
    expect(ok.status).to.equal(303);
    expect((await v.login('sparrow')).status).to.equal(303);
    // The decision is in the instance's public log, without who asked.
    const log = (await new Visitor(hearth).get('/moderation/log')).text;
    expect(log).to.contain('A steward welcomed someone who asked to join.');
    expect(log).not.to.contain('sparrow');
  });

  it('forgets someone declined in approval mode: the log says so without them, and their handle is free again', async () => {
    const steward = await withSteward(hearth);
    await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: '', registrationMode: 'approval', timeZone: 'UTC' });
    expect((await new Visitor(hearth).register('sparrow')).status).to.equal(202);
    const id = /\/steward\/members\/(\d+)\/decline/.exec((await steward.get('/steward/members')).text)![1]!;
    expect((await steward.submit('/steward/members', `/steward/members/${id}/decline`, {})).status).to.equal(303);
    expect((await steward.get('/steward/members')).text).not.to.contain('@sparrow');
    const log = (await new Visitor(hearth).get('/moderation/log')).text;
    expect(log).to.contain('A steward declined a request to join.');
    expect(log).not.to.contain('sparrow');
    const again = new Visitor(hearth);
    expect((await again.register('sparrow')).status).to.equal(202);
    expect((await again.login('sparrow')).text).to.contain('still waiting for a steward');
  });

  it('needs a usable invite in invite mode, and an invite works once', async () => {
    const steward = await withSteward(hearth);
    await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: '', registrationMode: 'invite', timeZone: 'UTC' });

    const visitor = new Visitor(hearth);
    const form = await visitor.get('/register');
    expect(form.text).to.contain('People join this instance with an invite link');
    expect(form.text).not.to.contain('action="/register"');
    // Posting anyway (with a valid token from another page) is refused too.
    const without = await visitor.submit('/login', '/register', { handle: 'sparrow', password: 'a long enough password' });
    expect(without.status).to.equal(400);
    expect(without.text).to.contain('needs an invite link');

    await steward.submit('/steward/invites', '/steward/invites', { note: 'for Sam', days: '7' });
    const page = await steward.get('/steward/invites');
    const code = /register\?invite(?:=|&#x3D;)([\w-]+)/.exec(page.text)![1]!;

    expect((await new Visitor(hearth).register('sparrow', undefined, { invite: code })).status).to.equal(303);
    const second = new Visitor(hearth);
    expect((await second.get(`/register?invite=${code}`)).text).to.contain('has expired or has already been used');
    const again = await second.submit('/login', '/register', { handle: 'finch', password: 'a long enough password', invite: code });
    expect(again.status).to.equal(400);
    expect(again.text).to.contain('already been used');
    // The refused registration left nothing behind: the handle is still free.
    const rows = await hearth.db.query("SELECT 1 FROM handles WHERE name = 'finch'");
    expect(rows).to.have.length(0);
  });

  it('keeps steward pages for stewards', async () => {
    await withSteward(hearth);
    const v = await memberVisitor(hearth, 'willow');
    expect((await v.get('/steward')).status).to.equal(403);
    const visitor = new Visitor(hearth);
    const res = await visitor.get('/steward/circles/new');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Fsteward%2Fcircles%2Fnew');
  });

  it('lets members fill in only what they choose on their profile', async () => {
    await withSteward(hearth);
    const v = await memberVisitor(hearth, 'willow');
    const saved = await saveSettings(v, { displayName: 'Willow', pronouns: 'they/them', bio: 'Here on Tuesdays.', email: '' });
    expect(saved.status).to.equal(303);
    const page = await new Visitor(hearth).get('/u/willow');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('they/them');
    expect(page.text).to.contain('Here on Tuesdays.');
    const bad = await saveSettings(v, { displayName: 'x'.repeat(81), pronouns: '', bio: '', email: 'nope' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('at most 80 characters');
    expect(bad.text).to.contain('look like an e-mail');
  });
});
