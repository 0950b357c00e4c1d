import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, Visitor } from '../../helpers/test-hearth.js';
import { idFrom, moderatedCircle, type Cast } from './moderation-helpers.js';

const HOUR = 3_600_000;
const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';

describe('moderation: report → review queue → act → confirm or lapse → log → appeal', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let cast: Cast;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now(), ['fern', 'gale']);
  });
  afterEach(() => hearth.close());

  const p = (h: string) => cast.people[h]!;

  async function report(who: string, fields: Record<string, string> = {}) {
    return p(who).submit(`/report?post=${cast.postId}`, '/report', { post: String(cast.postId), reason: 'harassment', note: 'This felt like a threat to me.', ...fields });
  }

  async function hide(by: string, extra: Record<string, string> = {}) {
    return p(by).submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', {
      kind: 'hide_post',
      post: String(cast.postId),
      agreement: AGREEMENT,
      reason: 'Reads as a threat; hiding while we talk.',
      ...extra,
    });
  }

  it('takes a report to an action two moderators agree on, logs it publicly, and undoes it when an uninvolved panel upholds the appeal', async () => {
    const sent = await report('elm');
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal('/moderation?done=report');
    // Reports never hide anything by themselves.
    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('Words that someone reported.');
    expect((await p('elm').get('/moderation')).text).to.contain('Waiting for a peer to look at it');

    // The queue shows the report with its note folded, to moderators only.
    const queue = await p('ash').get('/c/voices/review');
    expect(queue.status).to.equal(200);
    expect(queue.text).to.contain('Harassment or threats');
    expect(queue.text).to.match(/<details><summary>The reporter’s note<\/summary><p>This felt like a threat to me.<\/p><\/details>/);
    expect((await p('dawn').get('/c/voices/review')).status).to.equal(403);
    const reportId = idFrom(queue.text, /\/moderation\/reports\/(\d+)\/close/);

    // A member who isn't a moderator cannot act.
    const refused = await p('elm').submit(`/report?post=${cast.postId}`, '/moderation/act', { kind: 'hide_post', post: String(cast.postId), agreement: AGREEMENT, reason: 'x' });
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('Only this circle’s moderators can do that.');

    // Every action names an agreement and a reason.
    const missing = await hide('ash', { agreement: '', reason: '' });
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain('The agreement this relies on can’t be empty.');

    expect((await hide('ash', { report: String(reportId) })).status).to.equal(303);
    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('This post isn’t shown right now.');
    expect((await p('elm').get('/moderation')).text).to.contain('Moderators acted on it');

    // The reported member sees the action, never who reported.
    const dawnHub = await p('dawn').get('/moderation');
    expect(dawnHub.text).to.contain('Hide the post');
    expect(dawnHub.text).not.to.contain('elm');

    // The moderator who acted cannot confirm their own action.
    const queueAgain = await p('ash').get('/c/voices/review');
    const actionId = idFrom(queueAgain.text, /\/moderation\/actions\/(\d+)\/step-back/);
    const own = await p('ash').submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {});
    expect(own.status).to.equal(403);
    expect(own.text).to.contain('a second moderator has to confirm it');

    expect((await p('birch').submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);
    const twice = await p('cedar').submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {});
    expect(twice.status).to.equal(409);

    // The public log, for anyone.
    const log = await new Visitor(hearth).get('/c/voices/log');
    expect(log.text).to.contain('Hid a post in “A rough week”.');
    expect(log.text).to.contain('A second moderator confirmed');
    expect(log.text).to.contain('Moderators: @ash, @birch');
    expect(log.text).to.contain(AGREEMENT.replace(/’/g, '’'));

    // Appeal: ash acted, birch confirmed, elm reported: only cedar is an uninvolved
    // moderator, so a panel of volunteers (not elm, not dawn) hears it.
    for (const h of ['fern', 'gale', 'elm']) {
      await p(h).submit('/moderation', '/moderation/volunteer', { appealPanel: 'on' });
    }
    const appealed = await p('dawn').submit(`/moderation/actions/${actionId}/appeal`, `/moderation/actions/${actionId}/appeal`, { statement: 'I was describing what happened to me, not threatening anyone.' });
    expect(appealed.status).to.equal(303);
    const again = await p('dawn').submit(`/moderation/actions/${actionId}/appeal`, `/moderation/actions/${actionId}/appeal`, { statement: 'Again.' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('each action can be appealed once');

    expect((await p('elm').get('/moderation')).text).not.to.contain('Appeals you were asked to hear');
    expect((await p('ash').get('/moderation')).text).not.to.contain('Appeals you were asked to hear');
    const fernHub = await p('fern').get('/moderation');
    expect(fernHub.text).to.contain('I was describing what happened to me');
    const appealId = idFrom(fernHub.text, /action="\/appeals\/(\d+)"/);
    expect((await p('ash').submit('/moderation', `/appeals/${appealId}`, { decision: 'uphold' })).status).to.equal(403);
    expect((await p('fern').submit('/moderation', `/appeals/${appealId}`, { decision: 'overturn', reason: 'It was their own story.' })).status).to.equal(303);
    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('This post isn’t shown right now.');
    expect((await p('gale').submit('/moderation', `/appeals/${appealId}`, { decision: 'overturn', reason: 'Agreed.' })).status).to.equal(303);

    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('Words that someone reported.');
    const finalLog = await new Visitor(hearth).get('/c/voices/log');
    expect(finalLog.text).to.contain('The appeal succeeded and the action was undone');
  });

  it('lapses an unconfirmed hide after the circle’s window and restores the post, logged as lapsed', async () => {
    expect((await hide('ash')).status).to.equal(303);
    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('This post isn’t shown right now.');
    clock.advance(71 * HOUR);
    expect(await hearth.services.moderation.settleDue()).to.equal(0);
    clock.advance(2 * HOUR);
    expect(await hearth.services.moderation.settleDue()).to.equal(1);
    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('Words that someone reported.');
    const log = await new Visitor(hearth).get('/c/voices/log');
    expect(log.text).to.contain('No second moderator confirmed in time, so this lapsed and was undone');
    // Too late to confirm now.
    const queue = await p('birch').get('/c/voices/review');
    expect(queue.text).to.contain('Nothing is waiting.');
  });

  it('refuses to let a moderator act on a case they are part of', async () => {
    await report('ash');
    const res = await hide('ash');
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('You reported this, so other moderators will handle it.');
    // Nothing changed.
    expect((await new Visitor(hearth).get(cast.threadPath)).text).to.contain('Words that someone reported.');
  });

  it('removes a member from a circle only once a second moderator agrees; it ends by itself', async () => {
    const proposed = await p('ash').submit('/moderation/act?circle=voices&member=dawn', '/moderation/act', {
      kind: 'remove_member',
      circle: 'voices',
      member: 'dawn',
      agreement: AGREEMENT,
      reason: 'Repeated threats after a check-in.',
      hours: String(24 * 30),
    });
    expect(proposed.status).to.equal(303);
    // No effect yet.
    const reply1 = await p('dawn').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Still here.' });
    expect(reply1.status).to.equal(303);
    const queue = await p('birch').get('/c/voices/review');
    const actionId = idFrom(queue.text, /\/moderation\/actions\/(\d+)\/confirm/);
    expect((await p('birch').submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);
    const reply2 = await p('dawn').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Words I want to keep.' });
    expect(reply2.status).to.equal(403);
    expect(reply2.text).to.contain('You’ve been removed from this circle');
    expect(reply2.text).to.contain('Words I want to keep.');
    clock.advance(31 * 24 * HOUR);
    await hearth.services.moderation.settleDue();
    expect((await p('dawn').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Back again.' })).status).to.equal(303);
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('Time is up, so this ended: Removed a member from the circle');
  });

  it('keeps worry out of reporting: no "worried" reason, and the report form points to asking a peer to check in instead', async () => {
    const form = await p('elm').get(`/report?post=${cast.postId}`);
    expect(form.text).not.to.contain('value="worried"');
    // The link's address is escaped inside the message (= as &#x3D;), which reads the same.
    expect(form.text).to.contain(`<a href="/check-ins/ask?post&#x3D;${cast.postId}">Ask a peer to check in on them</a>`);
    const refused = await report('elm', { reason: 'worried' });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Please choose a reason.');
  });

  it('rate-limits reports and lets moderators record one as malicious', async () => {
    for (let i = 0; i < 10; i++) expect((await report('elm')).status).to.equal(303);
    const tooMany = await report('elm');
    expect(tooMany.status).to.equal(429);
    const queue = await p('ash').get('/c/voices/review');
    const reportId = idFrom(queue.text, /\/moderation\/reports\/(\d+)\/close/);
    expect((await p('ash').submit('/c/voices/review', `/moderation/reports/${reportId}/close`, { outcome: 'malicious', outcomeNote: 'Part of a pile-on.' })).status).to.equal(303);
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('Recorded that a report was made to hurt someone');
  });

  it('takes a report about a member (not a post) to the circle’s queue, with the member filled in for acting', async () => {
    const sent = await p('elm').submit('/report?member=dawn', '/report', { member: 'dawn', reason: 'harassment', note: 'Messages in several threads.' });
    expect(sent.status).to.equal(303);
    // Without a circle named, it goes to the stewards' instance queue.
    const queue = await cast.steward.get('/moderation/review');
    expect(queue.text).to.contain('Messages in several threads.');
    const link = /href="(\/moderation\/act\?member=dawn&amp;report=\d+)"/.exec(queue.text);
    expect(link, queue.text).to.not.equal(null);
    const form = await cast.steward.get(link![1]!.replace(/&amp;/g, '&'));
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('value="dawn"');
    expect(form.text).to.contain('Suspend the account');
    expect((await p('ash').get('/moderation/review')).status).to.equal(403);
  });
});
