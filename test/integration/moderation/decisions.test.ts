import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';
import { idFrom } from './moderation-helpers.js';

const DAY = 86_400_000;

describe('moderation: elections, proposals and agreements', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let steward: Visitor;
  const people: Record<string, Visitor> = {};
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    for (const h of ['ash', 'birch', 'cedar', 'dawn']) {
      people[h] = await memberVisitor(hearth, h);
      expect((await people[h]!.submit('/c/voices/moderation', '/c/voices/join', {})).status).to.equal(303);
    }
  });
  afterEach(() => hearth.close());
  const p = (h: string) => people[h]!;
  const settle = () => hearth.services.moderation.settleDue();

  it('elects moderators from nomination to seated; the founder steps aside; a recall ends a term early', async () => {
    const circlePage = await new Visitor(hearth).get('/c/voices/moderation');
    expect(circlePage.text).to.contain('founder, until the first election');
    expect(circlePage.text).to.contain('@river');

    const opened = await steward.submit('/c/voices/proposals/new?kind=election', '/c/voices/proposals', { kind: 'election', seats: '2', nominationDays: '2', votingDays: '5' });
    expect(opened.status).to.equal(303);
    const path = opened.headers.location as string;
    const proposalId = idFrom(path, /\/proposals\/(\d+)/);

    // Nominations: yourself (standing at once) or someone else (who is asked).
    expect((await p('ash').submit(path, `${path}/nominate`, { handle: 'ash' })).status).to.equal(303);
    expect((await p('ash').submit(path, `${path}/nominate`, { handle: 'birch' })).status).to.equal(303);
    expect((await p('cedar').submit(path, `${path}/nominate`, { handle: 'cedar' })).status).to.equal(303);
    const stranger = await memberVisitor(hearth, 'elm');
    const notMember = await stranger.submit(path, `${path}/nominate`, { handle: 'elm' });
    expect(notMember.status).to.equal(403);
    let page = await p('birch').get(path);
    expect(page.text).to.contain('I’ll stand');
    expect((await p('birch').submit(path, `${path}/nomination`, { accept: '1' })).status).to.equal(303);

    // Voting before it opens is refused.
    expect((await p('dawn').submit(path, `${path}/vote`, { choice: 'abstain' })).status).to.equal(409);
    clock.advance(2 * DAY);
    await settle();
    page = await p('dawn').get(path);
    expect(page.text).to.contain('Cast my vote');
    const ids = await hearth.db.query<{ id: number; handle: string }>("SELECT id, handle FROM members WHERE handle IN ('ash', 'birch', 'cedar')");
    const id = (h: string) => String(ids.find((r) => r.handle === h)!.id);
    expect((await p('dawn').submit(path, `${path}/vote`, { choice: id('ash') })).status).to.equal(303);
    expect((await p('dawn').submit(path, `${path}/vote`, { choice: id('birch') })).status).to.equal(303); // changed, not counted twice
    expect((await p('ash').submit(path, `${path}/vote`, { choice: id('ash') })).status).to.equal(303);
    expect((await p('cedar').submit(path, `${path}/vote`, { choice: id('cedar') })).status).to.equal(303);
    expect((await p('birch').submit(path, `${path}/vote`, { choice: id('birch') })).status).to.equal(303);
    const bad = await p('birch').submit(path, `${path}/vote`, { choice: '999999' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('Please choose one of the people standing.');
    // Ballots stay private while voting is open.
    expect((await new Visitor(hearth).get(path)).text).not.to.contain('Result');

    clock.advance(5 * DAY);
    expect((await p('dawn').submit(path, `${path}/vote`, { choice: id('ash') })).status).to.equal(409);
    await settle();
    const result = await new Visitor(hearth).get(path);
    expect(result.text).to.contain('accepted');
    expect(result.text).to.match(/birch: 2/);
    const after = await new Visitor(hearth).get('/c/voices/moderation');
    expect(after.text).to.contain('elected, term ends');
    expect(after.text).to.contain('@birch');
    expect(after.text).not.to.contain('founder, until');
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('Elected for 90 days: @birch');
    expect(proposalId).to.be.greaterThan(0);

    // A recall by member vote.
    const birchTerm = await hearth.db.query<{ id: number }>("SELECT t.id FROM moderator_terms t JOIN members m ON m.id = t.member_id WHERE m.handle = 'birch'");
    const recall = await p('dawn').submit('/c/voices/proposals/new?kind=recall', '/c/voices/proposals', { kind: 'recall', termId: String(birchTerm[0]!.id), votingDays: '3' });
    expect(recall.status).to.equal(303);
    const recallPath = recall.headers.location as string;
    expect((await p('birch').submit(recallPath, `${recallPath}/vote`, { choice: 'no' })).status).to.equal(403);
    for (const h of ['dawn', 'ash', 'cedar']) expect((await p(h).submit(recallPath, `${recallPath}/vote`, { choice: 'yes' })).status).to.equal(303);
    clock.advance(3 * DAY);
    await settle();
    expect((await new Visitor(hearth).get('/c/voices/moderation')).text).not.to.contain('<span class="handle">@birch</span>');
  });

  it('lets the founder step back before any election: the circle shows no founder, and the stewards look after its queue', async () => {
    const res = await steward.submit('/c/voices/moderation', '/c/voices/step-down', {});
    expect(res.status).to.equal(303);
    expect((await new Visitor(hearth).get('/c/voices/moderation')).text).not.to.contain('founder, until the first election');
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('A moderator stepped back from their term. Thank you for your care.');
    // Nobody moderates it now, so it is in the stewards' hub; stepping back twice is refused.
    expect((await steward.get('/moderation')).text).to.contain('href="/c/voices/review"');
    expect((await steward.submit('/c/voices/moderation', '/c/voices/step-down', {})).status).to.equal(403);
  });

  it('changes agreements only through an accepted proposal (consent mode), keeping every version', async () => {
    const res = await p('ash').submit('/c/voices/proposals/new?kind=agreements', '/c/voices/proposals', {
      kind: 'agreements',
      mode: 'consent',
      agreements: '1. We listen first.\n2. No advice unless asked.',
      votingDays: '2',
    });
    expect(res.status).to.equal(303);
    const path = res.headers.location as string;
    const objection = await p('dawn').submit(path, `${path}/vote`, { choice: 'object' });
    expect(objection.status).to.equal(400);
    expect(objection.text).to.contain('An objection needs a reason');
    expect((await p('dawn').submit(path, `${path}/vote`, { choice: 'consent' })).status).to.equal(303);
    clock.advance(2 * DAY);
    await settle();
    const versions = await new Visitor(hearth).get('/c/voices/agreements');
    expect(versions.text).to.contain('Version 2');
    expect(versions.text).to.contain('We listen first.');
    expect(versions.text).to.contain('Version 1');
    expect(versions.text).to.contain('We speak from our own experience');
    expect((await new Visitor(hearth).get('/c/voices/moderation')).text).to.contain('No advice unless asked.');
  });

  it('extends a majority vote once when too few vote, then records that quorum was not reached', async () => {
    for (const h of ['elm', 'fern', 'gale', 'hazel', 'iris', 'juniper']) {
      const v = await memberVisitor(hearth, h);
      await v.submit('/c/voices/moderation', '/c/voices/join', {});
    }
    // 11 members (river as founder + 4 + 6): quorum 20% → 3 ballots.
    const res = await p('ash').submit('/c/voices/proposals/new?kind=agreements', '/c/voices/proposals', { kind: 'agreements', agreements: 'Be kind.', votingDays: '2' });
    const path = res.headers.location as string;
    expect((await p('ash').submit(path, `${path}/vote`, { choice: 'yes' })).status).to.equal(303);
    clock.advance(2 * DAY);
    await settle();
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('the vote was extended once');
    clock.advance(2 * DAY);
    await settle();
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain('not decided (too few votes)');
    expect((await new Visitor(hearth).get('/c/voices/agreements')).text).not.to.contain('Be kind.');
  });
});

describe('moderation: a stewards’ emergency act, put to all members afterwards', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
  });
  afterEach(() => hearth.close());

  it('takes effect at once, is logged, and is undone when the members vote it down', async () => {
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    const dawn = await memberVisitor(hearth, 'dawn');
    expect((await dawn.get('/c/voices/new')).status).to.equal(200);
    const voters = [await memberVisitor(hearth, 'ash'), await memberVisitor(hearth, 'birch')];
    const res = await steward.submit('/moderation/act', '/moderation/act', {
      kind: 'suspend_account',
      member: 'dawn',
      agreement: 'Instance agreement 5 (version 1): No harassment, threats, or hateful words about anyone.',
      reason: 'Threats in private check-ins tonight',
      emergency: 'on',
    });
    expect(res.status, res.text).to.equal(303);
    const path = res.headers.location as string;
    expect(path).to.match(/^\/proposals\/\d+$/);
    // Suspended now: dawn's sessions ended, and posting is refused.
    const asked = await dawn.get('/c/voices/new');
    expect(asked.status).to.equal(303);
    expect(asked.headers.location).to.match(/^\/login/);
    const suspendedStatus = await hearth.db.query<{ status: string }>("SELECT status FROM members WHERE handle = 'dawn'");
    expect(suspendedStatus[0]!.status).to.equal('suspended');
    expect((await new Visitor(hearth).get('/moderation/log')).text).to.contain('Done as an emergency by a steward');
    // A member who isn't a steward cannot act in an emergency.
    const notSteward = await voters[0]!.submit('/moderation', '/moderation/act', { kind: 'block_instance', host: 'social.example', agreement: 'x', reason: 'y', emergency: 'on' });
    expect(notSteward.status).to.equal(403);

    for (const v of voters) expect((await v.submit(path, `${path}/vote`, { choice: 'no' })).status).to.equal(303);
    clock.advance(7 * DAY);
    await settle(hearth);
    const suspended = await hearth.db.query<{ status: string }>("SELECT status FROM members WHERE handle = 'dawn'");
    expect(suspended[0]!.status).to.equal('active');
    expect((await new Visitor(hearth).get('/moderation/log')).text).to.contain('The emergency act was undone.');
    expect((await dawn.login('dawn')).status).to.equal(303);
    expect((await dawn.get('/c/voices/new')).status).to.equal(200);
  });
});

function settle(h: Hearth): Promise<number> {
  return h.services.moderation.settleDue();
}
