import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, startThread, withSteward, type Visitor } from '../../helpers/test-hearth.js';
import { idFrom, seatModerators } from './moderation-helpers.js';

const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';

/** A small circle: one moderator (sam), two stewards (river, kai), two members. */
describe('the two-person rule in a circle with a single moderator', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let river: Visitor;
  let kai: Visitor;
  let sam: Visitor;
  let dawn: Visitor;
  let elm: Visitor;
  let postId: number;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));

  beforeEach(async () => {
    hearth = await freshHearth({ clock });
    river = await withSteward(hearth);
    await openCircle(river, 'small', 'A small circle');
    kai = await memberVisitor(hearth, 'kai');
    await hearth.db.query("UPDATE members SET role = 'steward' WHERE handle = 'kai'");
    sam = await memberVisitor(hearth, 'sam');
    dawn = await memberVisitor(hearth, 'dawn');
    elm = await memberVisitor(hearth, 'elm');
    await seatModerators(hearth, 'small', ['sam'], clock.now());
    await startThread(dawn, 'small', { title: 'Hard words', body: 'Something someone finds hurtful.' });
    postId = (await hearth.db.query<{ id: number }>('SELECT id FROM posts ORDER BY id DESC LIMIT 1'))[0]!.id;
  });
  afterEach(async () => {
    await hearth.close();
  });

  const hide = () => sam.submit(`/moderation/act?post=${postId}`, '/moderation/act', { kind: 'hide_post', post: String(postId), agreement: AGREEMENT, reason: 'Hiding while we talk.' });

  it('says so on the circle’s page, and an uninvolved steward confirms from the stewards’ queue', async () => {
    expect((await dawn.get('/c/small/moderation')).text).to.contain('This circle has a single moderator');
    expect((await hide()).status).to.equal(303);
    const queue = await kai.get('/moderation/review');
    expect(queue.text).to.contain('has no other moderator who could confirm this');
    const actionId = idFrom(queue.text, /\/moderation\/actions\/(\d+)\/confirm/);
    // A member who is not a steward cannot; the moderator who acted cannot.
    expect((await elm.submit('/moderation', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(403);
    expect((await sam.submit('/c/small/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(403);
    const confirmed = await kai.submit('/moderation/review', `/moderation/actions/${actionId}/confirm`, {});
    expect(confirmed.status).to.equal(303);
    expect(confirmed.headers.location).to.equal('/moderation/review');
    const action = (await hearth.db.query<{ status: string }>('SELECT status FROM moderation_actions WHERE id = $1', [actionId]))[0]!;
    expect(action.status).to.equal('standing');
    expect((await dawn.get('/c/small/log')).text).to.contain('A steward confirmed, as the circle has no other moderator who could');
  });

  it('leaves confirming to moderators once the circle has a second one who is not part of the case', async () => {
    await seatModerators(hearth, 'small', ['elm'], clock.now());
    await hide();
    const queue = await kai.get('/moderation/review');
    expect(queue.text).not.to.contain('/confirm');
    const actionId = (await hearth.db.query<{ id: number }>('SELECT id FROM moderation_actions ORDER BY id DESC LIMIT 1'))[0]!.id;
    expect((await kai.submit('/moderation/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(403);
    expect((await elm.submit('/c/small/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);
  });

  it('does not let a steward who is part of the case confirm it', async () => {
    await kai.submit(`/report?post=${postId}`, '/report', { post: String(postId), reason: 'harassment', note: 'It hurt.' });
    await hide();
    const actionId = (await hearth.db.query<{ id: number }>('SELECT id FROM moderation_actions ORDER BY id DESC LIMIT 1'))[0]!.id;
    expect((await kai.submit('/moderation/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(403);
    expect((await river.submit('/moderation/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);
  });
});
