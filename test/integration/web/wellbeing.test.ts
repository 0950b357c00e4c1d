import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PLAN = { helps: 'A walk, and **texting Sam**.', doesNotHelp: 'Being told to calm down.', earlySigns: 'Not sleeping.', hearFrom: 'Kit, by text.', anythingElse: '' };

describe('what helps me', () => {
  let hearth: Hearth;
  let steward: Visitor;
  let wren: Visitor;
  let kit: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    wren = await memberVisitor(hearth, 'wren');
    kit = await memberVisitor(hearth, 'kit');
  });
  afterEach(() => hearth.close());

  it('is private to its author and the members they name; everyone else gets the same “not here”, and it never federates', async () => {
    expect((await wren.submit('/settings/what-helps-me', '/settings/what-helps-me', PLAN)).status).to.equal(303);
    const own = await wren.get('/u/wren/what-helps-me');
    expect(own.status).to.equal(200);
    expect(own.headers['cache-control']).to.equal('private, no-store');
    expect(own.text).to.contain('<strong>texting Sam</strong>');
    // When it was last changed, in words in the member's zone (UTC here), as {{dateTime}} writes dates.
    expect(own.text).to.match(/Last changed \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\./);
    expect((await wren.get('/settings/what-helps-me')).text).to.match(/Last changed \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\. <a href="\/u\/wren\/what-helps-me">/);

    const nobodyPlan = await kit.get('/u/steward/what-helps-me');
    for (const who of [kit, steward, new Visitor(hearth)]) {
      const res = await who.get('/u/wren/what-helps-me');
      expect(res.status).to.equal(404);
      expect(res.text).not.to.contain('texting Sam');
      // Same answer as a page that doesn't exist at all.
      expect(res.text.replace(/name="_csrf" value="[^"]+"/g, '')).to.contain('We couldn’t find that page');
    }
    expect(nobodyPlan.status).to.equal(404);

    expect((await wren.submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'kit' })).status).to.equal(303);
    const shared = await kit.get('/u/wren/what-helps-me');
    expect(shared.status).to.equal(200);
    expect(shared.text).to.contain('Kit, by text.');
    expect((await kit.get('/settings/what-helps-me')).text).to.contain('Plans shared with you');
    // Not even with an ActivityPub Accept header, and the actor doesn't link to it.
    const asServer = await kit.agent.get('/u/wren/what-helps-me').set('Accept', 'application/activity+json');
    expect(asServer.status).to.equal(404);
    const actor = await new Visitor(hearth).agent.get('/u/wren').set('Accept', 'application/activity+json');
    expect(actor.text).not.to.contain('what-helps-me');

    expect((await wren.submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'kit', remove: '1' })).status).to.equal(303);
    expect((await kit.get('/u/wren/what-helps-me')).status).to.equal(404);
  });

  it('refuses unknown handles, yourself, and oversized sections, keeping what was typed', async () => {
    const unknown = await wren.submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'nobody_here' });
    expect(unknown.status).to.equal(400);
    expect(unknown.text).to.contain('There’s no member with that handle here.');
    expect(unknown.text).to.contain('value="nobody_here"');
    expect((await wren.submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'wren' })).status).to.equal(400);
    const long = await wren.submit('/settings/what-helps-me', '/settings/what-helps-me', { ...PLAN, helps: 'x'.repeat(4001) });
    expect(long.status).to.equal(400);
    expect(long.text).to.contain('What helps me can be at most 4,000 characters');
    expect(long.text).to.contain('Being told to calm down.');
    expect((await wren.get('/u/wren/what-helps-me')).status).to.equal(404);
  });
});

describe('take a break', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let wren: Visitor;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-06-01T10:00:00Z')); // 12:00 in Berlin
    hearth = await freshHearth({ clock });
    await withSteward(hearth);
    wren = await memberVisitor(hearth, 'wren');
  });
  afterEach(() => hearth.close());

  it('shows a gentle break page during quiet hours, keeps /support open, and lets the forum back in the morning', async () => {
    expect((await wren.submit('/settings/break', '/settings/break', { quietFrom: '22:00', quietTo: '07:00', timeZone: 'Europe/Berlin' })).status).to.equal(303);
    expect((await wren.get('/')).text).not.to.contain('You asked for a break');
    clock.set(new Date('2026-06-01T21:00:00Z')); // 23:00 in Berlin
    const home = await wren.get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain('You asked for a break');
    expect(home.text).to.contain('these peer-run lines');
    expect((await wren.get('/c/anything')).text).to.contain('You asked for a break');
    expect((await wren.get('/support')).text).not.to.contain('You asked for a break');
    // Visitors are never affected.
    expect((await new Visitor(hearth).get('/')).text).not.to.contain('You asked for a break');
    clock.set(new Date('2026-06-02T05:30:00Z')); // 07:30
    expect((await wren.get('/')).text).not.to.contain('You asked for a break');
  });

  it('counts active minutes against a daily limit', async () => {
    expect((await wren.submit('/settings/break', '/settings/break', { dailyMinutes: '5', timeZone: 'UTC' })).status).to.equal(303);
    for (let i = 0; i < 5; i++) {
      expect((await wren.get('/')).text).not.to.contain('You asked for a break');
      await wren.get('/waiting'); // the same minute counts once
      clock.advance(60_000);
    }
    expect((await wren.get('/')).text).to.contain('reached the time you set for yourself today');
    clock.set(new Date('2026-06-02T00:01:00Z'));
    expect((await wren.get('/')).text).not.to.contain('You asked for a break');
  });

  it('refuses to loosen locked settings, with a clear message and nothing changed', async () => {
    expect((await wren.submit('/settings/break', '/settings/break', { dailyMinutes: '60', timeZone: 'UTC', lockUntil: '2026-06-10' })).status).to.equal(303);
    const looser = await wren.submit('/settings/break', '/settings/break', { dailyMinutes: '120', timeZone: 'UTC' });
    expect(looser.status).to.equal(409);
    expect(looser.text).to.contain('can only get stricter');
    const page = await wren.get('/settings/break');
    expect(page.text).to.contain('value="60"');
    expect(page.text).to.match(/You locked these settings until \d{1,2} Jun 2026, \d{2}:\d{2} UTC\. Until then they can only get stricter\./);
    expect((await wren.submit('/settings/break', '/settings/break', { dailyMinutes: '30', timeZone: 'UTC' })).status).to.equal(303);
    expect((await wren.get('/settings/break')).text).to.contain('value="30"');
    const badZone = await wren.submit('/settings/break', '/settings/break', { dailyMinutes: '30', timeZone: 'Mars/Olympus' });
    expect(badZone.status).to.equal(400);
    expect(badZone.text).to.contain('Please choose a time zone');
    const badLock = await wren.submit('/settings/break', '/settings/break', { dailyMinutes: '30', timeZone: 'UTC', lockUntil: '2027-06-10' });
    expect(badLock.text).to.contain('A lock can last at most 90 days.');
  });
});
