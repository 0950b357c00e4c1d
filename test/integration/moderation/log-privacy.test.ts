import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, Visitor } from '../../helpers/test-hearth.js';
import { idFrom, moderatedCircle, type Cast } from './moderation-helpers.js';

const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';

describe('moderation: the public log protects the person moderated (issue 8)', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let cast: Cast;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now());
  });
  afterEach(() => hearth.close());

  const p = (h: string) => cast.people[h]!;

  it('leaves the affected member’s handle out by default, and names them only when they choose', async () => {
    const act = await p('ash').submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', {
      kind: 'hide_post',
      post: String(cast.postId),
      agreement: AGREEMENT,
      reason: 'Reads as a threat; hiding while we talk.',
    });
    expect(act.status, act.text).to.equal(303);
    const log = async () => (await new Visitor(hearth).get('/c/voices/log')).text;
    expect(await log()).to.contain('Reads as a threat');
    expect(await log()).not.to.contain('dawn');

    const hub = await p('dawn').get('/moderation');
    expect(hub.text).to.contain('The public log leaves your handle out.');
    const actionId = idFrom(hub.text, /\/moderation\/actions\/(\d+)\/naming/);
    // Only the person it concerns can choose.
    expect((await p('elm').submit('/moderation', `/moderation/actions/${actionId}/naming`, { named: 'yes' })).status).to.equal(404);
    expect(await log()).not.to.contain('dawn');

    const named = await p('dawn').submit('/moderation', `/moderation/actions/${actionId}/naming`, { named: 'yes' });
    expect(named.status).to.equal(303);
    expect(await log()).to.contain('@dawn');
    expect((await p('dawn').get('/moderation')).text).to.contain('The public log names you.');

    await p('dawn').submit('/moderation', `/moderation/actions/${actionId}/naming`, { named: 'no' });
    expect(await log()).not.to.contain('dawn');
  });

  it('lets the member choose to be named when they appeal', async () => {
    await p('ash').submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', { kind: 'hide_post', post: String(cast.postId), agreement: AGREEMENT, reason: 'Hiding for now.' });
    const actionId = idFrom((await p('dawn').get('/moderation')).text, /\/moderation\/actions\/(\d+)\/appeal/);
    const form = await p('dawn').get(`/moderation/actions/${actionId}/appeal`);
    expect(form.text).to.contain('Name me in the public log');
    const sent = await p('dawn').submit(`/moderation/actions/${actionId}/appeal`, `/moderation/actions/${actionId}/appeal`, {
      statement: 'I was sharing my own experience, not threatening anyone.',
      nameMe: 'on',
    });
    expect(sent.status, sent.text).to.equal(303);
    const log = (await new Visitor(hearth).get('/c/voices/log')).text;
    expect(log).to.contain('An appeal was made');
    expect(log).to.contain('@dawn');
  });
});
