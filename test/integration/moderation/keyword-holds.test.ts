import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';
import { seatModerators } from './moderation-helpers.js';

describe('words that hold a post are in the open', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let ash: Visitor;
  let dawn: Visitor;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const rules = (keywordFilters: string, extra: Record<string, string> = {}) =>
    ash.submit('/c/voices/rules', '/c/voices/rules', { confirmHours: '72', termDays: '90', quorumPercent: '20', quorumFallback: 'extend', keywordFilters, ...extra });

  beforeEach(async () => {
    hearth = await freshHearth({ clock });
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    ash = await memberVisitor(hearth, 'ash');
    dawn = await memberVisitor(hearth, 'dawn');
    await seatModerators(hearth, 'voices', ['ash'], clock.now());
  });
  afterEach(async () => {
    await hearth.close();
  });

  it('lists the words for members, tells the author which word held their post, and logs each change with the words', async () => {
    expect((await rules('casino\nbuy now')).status).to.equal(303);
    expect((await dawn.get('/c/voices/moderation')).text).to.contain('“casino”, “buy now”');
    // Nothing about it is hidden: visitors read the same list as members.
    expect((await new Visitor(hearth).get('/c/voices/moderation')).text).to.contain('“casino”, “buy now”');
    const posted = await dawn.submit('/c/voices/new', '/c/voices/new', { title: 'A game night', body: 'We went to the casino.' });
    expect(posted.status).to.equal(303);
    const page = await dawn.get(posted.headers.location as string);
    expect(page.text).to.contain('It contains “casino”');
    expect((await rules('casino', { firstPostsHeld: 'on' })).status).to.equal(303);
    const log = (await dawn.get('/c/voices/log')).text;
    expect(log).to.contain('words that hold a post, added: “casino”, “buy now”');
    expect(log).to.contain('new members’ first posts: shown at once → held for a moderator');
    expect(log).to.contain('words that hold a post, removed: “buy now”');
  });

  it('refuses words that are part of what the circle is for, with the typed words kept', async () => {
    const res = await rules('casino\nvoices');
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('part of what this circle is for');
    expect(res.text).to.contain('casino\nvoices');
  });
});
