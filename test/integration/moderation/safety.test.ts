import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, startThread, Visitor } from '../../helpers/test-hearth.js';
import { moderatedCircle, type Cast } from './moderation-helpers.js';

describe('moderation: circle rules, holds, locks and member blocks', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let cast: Cast;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now(), ['fern']);
  });
  afterEach(() => hearth.close());
  const p = (h: string) => cast.people[h]!;
  const RULES = { confirmHours: '72', termDays: '90', quorumPercent: '20', quorumFallback: 'extend' };

  it('lets moderators (only) set rules: first posts held, content warnings required, keyword filters — all logged', async () => {
    expect((await p('dawn').submit('/c/voices/rules', '/c/voices/rules', { ...RULES, firstPostsHeld: 'on' })).status).to.equal(403);
    const bad = await p('ash').submit('/c/voices/rules', '/c/voices/rules', { ...RULES, confirmHours: '0' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('The time to confirm must be a whole number from 1 to 336.');
    const ok = await p('ash').submit('/c/voices/rules', '/c/voices/rules', { ...RULES, firstPostsHeld: 'on', contentWarningRequired: 'on', keywordFilters: 'pills' });
    expect(ok.status).to.equal(303);
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('Changed the circle’s rules');

    // CW required: refused with the words kept.
    const noCw = await p('fern').submit('/c/voices/new', '/c/voices/new', { title: 'Hello', body: 'My first words here.' });
    expect(noCw.status).to.equal(400);
    expect(noCw.text).to.contain('This circle asks for a content warning on every post.');
    expect(noCw.text).to.contain('My first words here.');

    // First post held: only the author and moderators see it; it stays out of lists.
    const path = await startThread(p('fern'), 'voices', { title: 'Hello all', body: 'My first words here.', contentWarning: 'low mood' });
    expect((await p('fern').get(path)).text).to.contain('waiting for one of the circle’s moderators');
    expect((await new Visitor(hearth).get(path)).text).not.to.contain('My first words here.');
    expect((await new Visitor(hearth).get('/c/voices')).text).not.to.contain('Hello all');
    const queue = await p('ash').get('/c/voices/review');
    expect(queue.text).to.contain('My first words here.');
    const postId = /\/moderation\/held\/(\d+)/.exec(queue.text)![1];
    expect((await p('ash').submit('/c/voices/review', `/moderation/held/${postId}`, { decision: 'show' })).status).to.equal(303);
    expect((await new Visitor(hearth).get('/c/voices')).text).to.contain('Hello all');

    // Keyword filter holds (never rejects) a later post.
    const reply = await p('fern').submit(path, `${path}/reply`, { body: 'Thinking about my pills again.', contentWarning: 'meds' });
    expect(reply.status).to.equal(303);
    expect((await new Visitor(hearth).get(path)).text).to.contain('This post is waiting for a moderator.');
    // A reply nobody can see yet doesn't answer anyone: the thread is still waiting.
    expect((await new Visitor(hearth).get('/waiting')).text).to.contain('Hello all');
  });

  it('locks and slows threads, refusing replies with a clear message and the words kept', async () => {
    const agreement = 'Circle agreement 2 (version 1): We treat each other with respect, including when we disagree.';
    const slow = await p('ash').submit(`/moderation/act?thread=1&circle=voices`, '/moderation/act', { kind: 'slow_thread', thread: cast.threadPath.split('/').pop()!, circle: 'voices', agreement, reason: 'Heated', slowMinutes: '30' });
    expect(slow.status).to.equal(303);
    expect((await p('elm').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'First.' })).status).to.equal(303);
    const second = await p('elm').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Second thought.' });
    expect(second.status).to.equal(429);
    expect(second.text).to.contain('This thread has been slowed down');
    expect(second.text).to.contain('Second thought.');
    const lock = await p('birch').submit(`/moderation/act?thread=1&circle=voices`, '/moderation/act', { kind: 'lock_thread', thread: cast.threadPath.split('/').pop()!, circle: 'voices', agreement, reason: 'Cooling off' });
    expect(lock.status).to.equal(303);
    const page = await p('cedar').get(cast.threadPath);
    expect(page.text).to.contain('This thread is locked');
    expect((await p('cedar').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Late.' })).status).to.equal(403);
  });

  it('blocks: the blocked member no longer sees or reaches the blocker; the blocker sees them folded away', async () => {
    expect((await p('dawn').submit('/moderation', '/moderation/blocks', { handle: 'elm' })).status).to.equal(303);
    const elmView = await p('elm').get(cast.threadPath);
    expect(elmView.text).to.contain('This post isn’t shown to you.');
    expect(elmView.text).not.to.contain('Words that someone reported.');
    const reply = await p('elm').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Hey.' });
    expect(reply.status).to.equal(403);
    expect((await p('elm').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'Hey.' })).text).to.contain('You can’t reply in this thread.');
    const react = await p('elm').submit(cast.threadPath, `/p/${cast.postId}/react`, { kind: 'hear', give: '1' });
    expect(react.status).to.equal(403);
    expect(react.text).to.contain('You can’t react to this post.');
    // Others still see everything.
    expect((await p('fern').get(cast.threadPath)).text).to.contain('Words that someone reported.');
    expect((await p('dawn').submit('/moderation', '/moderation/blocks', { handle: 'dawn' })).status).to.equal(400);
    expect((await p('dawn').submit('/moderation', '/moderation/blocks', { handle: 'elm', unblock: '1' })).status).to.equal(303);
    expect((await p('elm').get(cast.threadPath)).text).to.contain('Words that someone reported.');
  });
});

describe('moderation: who keeps a circle’s meetings and resources', () => {
  let hearth: Hearth;
  let cast: Cast;
  beforeEach(async () => {
    const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now());
  });
  afterEach(() => hearth.close());

  it('is the circle’s moderators (and the stewards), not any member', async () => {
    const resource = { title: 'Hearing Voices Network', link: 'https://www.hearing-voices.org', description: 'Groups and booklets' };
    const refused = await cast.people.elm!.submit('/c/voices', '/c/voices/resources', resource);
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('its moderators, and the stewards');
    expect((await cast.people.ash!.submit('/c/voices/resources', '/c/voices/resources', resource)).status).to.equal(303);
    expect((await new Visitor(hearth).get('/c/voices')).text).to.contain('Hearing Voices Network');
  });
});
