import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';
import { idFrom, seatModerators } from '../moderation/moderation-helpers.js';

const AGREEMENT = 'Circle agreement 3 (version 1): We add a content warning when writing about things that can be hard to read.';

/** A check-in page's text without the CSRF and form tokens (random letters could spell anything). */
function words(html: string): string {
  return html.replace(/name="(_csrf|_once)" value="[^"]*"/g, '');
}

describe('check-ins: care, not policing (issue 12, items 9 and 10)', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let steward: Visitor;
  const people: Record<string, Visitor> = {};
  const p = (h: string) => people[h]!;
  let threadPath: string;
  let postId: number;

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    for (const h of ['ash', 'dawn', 'elm', 'fern', 'gale']) people[h] = await memberVisitor(hearth, h);
    threadPath = await startThread(p('dawn'), 'voices', { title: 'A rough week', body: 'I haven’t slept in days and everything feels heavy.' });
    postId = (await hearth.db.query<{ id: number }>("SELECT p.id FROM posts p JOIN members m ON m.id = p.author_id WHERE m.handle = 'dawn' LIMIT 1"))[0]!.id;
    // fern and gale offered their time.
    for (const h of ['fern', 'gale']) expect((await p(h).submit('/check-ins', '/check-ins/volunteer', { checkIn: 'on' })).status).to.equal(303);
  });
  afterEach(() => hearth.close());

  const ask = (who: string, fields: Record<string, string> = {}) =>
    p(who).submit(`/check-ins/ask?post=${postId}`, '/check-ins/ask', { post: String(postId), note: 'They sound very low.', ...fields });

  async function notifications(handle: string): Promise<Array<{ kind: string; link: string; actor: string | null }>> {
    return hearth.db.query(
      `SELECT n.kind, n.link, a.handle AS actor FROM notifications n JOIN members m ON m.id = n.member_id LEFT JOIN members a ON a.id = n.actor_member_id
        WHERE m.handle = $1 ORDER BY n.id`,
      [handle],
    );
  }

  it('lets a member ask a peer to check in on someone, apart from moderation; a volunteer writes, the person gets it on their own page and a notification, and can write back', async () => {
    // The post offers it in its own words, next to (not inside) reporting.
    const thread = await p('elm').get(threadPath);
    expect(thread.text).to.contain(`href="/check-ins/ask?post=${postId}">Ask a peer to check in</a>`);

    const form = await p('elm').get(`/check-ins/ask?post=${postId}`);
    expect(form.status).to.equal(200);
    expect(form.headers['cache-control']).to.equal('private, no-store');
    expect(form.text).to.contain('<h1>Ask a peer to check in on someone</h1>');
    const sent = await ask('elm');
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal('/check-ins?done=asked');
    const mine = await p('elm').get(sent.headers.location!);
    expect(mine.text).to.contain('Your request went to peers who offered to check in');
    expect(mine.text).to.match(/For @dawn · <strong>Waiting for a peer<\/strong>/);

    // Not a report: moderators' queue and the asker's reports stay empty; nothing is hidden.
    expect((await hearth.db.query('SELECT 1 FROM reports')).length).to.equal(0);
    expect((await p('elm').get('/moderation')).text).to.contain('You haven’t reported anything.');
    expect((await new Visitor(hearth).get(threadPath)).text).to.contain('everything feels heavy');

    // Only volunteers see the waiting list; neither the asker nor the person is shown it.
    expect((await p('ash').get('/check-ins/waiting')).text).to.contain('Nobody is waiting for a check-in right now.');
    const list = await p('fern').get('/check-ins/waiting');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('@dawn');
    expect(list.text).to.contain('They sound very low.');
    expect(list.text).not.to.contain('elm');
    const requestId = idFrom(list.text, /href="\/check-ins\/waiting\/(\d+)"/);
    expect((await p('ash').get(`/check-ins/waiting/${requestId}`)).status).to.equal(404);
    const wrote = await p('fern').submit(`/check-ins/waiting/${requestId}`, `/check-ins/waiting/${requestId}`, { message: 'Hey, I read your post. I’ve had weeks like that. Here if you want to talk.' });
    expect(wrote.status).to.equal(303);
    // A second volunteer finds it answered.
    expect((await p('gale').get('/check-ins/waiting')).text).not.to.contain('@dawn');

    // The person finds it in their own place, with a notification linking there.
    const note = (await notifications('dawn')).find((n) => n.kind === 'checkin.received');
    expect(note, JSON.stringify(await notifications('dawn'))).to.not.equal(undefined);
    expect(note!.actor).to.equal('fern');
    expect(note!.link).to.match(/^\/check-ins#check-in-\d+$/);
    const dawn = await p('dawn').get('/check-ins');
    expect(dawn.headers['cache-control']).to.equal('private, no-store');
    expect(dawn.text).to.contain('From @fern, a peer');
    expect(dawn.text).to.contain('I’ve had weeks like that');
    expect(dawn.text).not.to.contain('elm');
    expect((await p('elm').get('/check-ins')).text).to.match(/For @dawn · <strong>A peer checked in<\/strong>/);

    // Writing back reaches fern, with a notification.
    const checkInId = idFrom(dawn.text, /action="\/check-ins\/(\d+)\/reply"/);
    expect((await p('dawn').submit('/check-ins', `/check-ins/${checkInId}/reply`, { body: 'Thank you. It helps to hear that.' })).status).to.equal(303);
    expect((await notifications('fern')).map((n) => n.kind)).to.include('checkin.replied');
    const fern = await p('fern').get('/check-ins');
    expect(fern.text).to.contain('From @dawn, a peer, writing back');
    expect(fern.text).to.contain('It helps to hear that.');

    // The old paths under moderation are gone.
    expect((await p('fern').get('/check-ins/worried')).status).to.equal(404);
  });

  it('lets a member ask for a check-in for themselves', async () => {
    const page = await p('dawn').get('/check-ins');
    expect(page.text).to.contain('Would you like someone to check in with you?');
    const asked = await p('dawn').submit('/check-ins', '/check-ins/ask-for-me', { selfNote: 'Evenings are hardest.' });
    expect(asked.status).to.equal(303);
    expect(asked.headers.location).to.equal('/check-ins?done=self');
    expect((await p('dawn').get('/check-ins')).text).to.match(/For you · <strong>Waiting for a peer<\/strong>/);
    // Even with "please don't check in on me" set, asking for oneself is heard.
    expect((await p('dawn').submit('/check-ins', '/check-ins/choice', { choice: 'nobody', peers: '' })).status).to.equal(303);
    const list = await p('gale').get('/check-ins/waiting');
    expect(list.text).to.contain('They asked for a check-in themselves');
    expect(list.text).to.contain('Evenings are hardest.');
    const requestId = idFrom(list.text, /href="\/check-ins\/waiting\/(\d+)"/);
    expect((await p('gale').submit(`/check-ins/waiting/${requestId}`, `/check-ins/waiting/${requestId}`, { message: 'Evenings are hard for me too. Want to chat tonight?' })).status).to.equal(303);
    expect((await p('dawn').get('/check-ins')).text).to.contain('From @gale, a peer');
  });

  it('honours “please don’t check in on me”: the request is declined gently and no volunteer sees it', async () => {
    const choice = await p('dawn').submit('/check-ins', '/check-ins/choice', { choice: 'nobody', peers: '' });
    expect(choice.status).to.equal(303);
    expect((await p('dawn').get('/check-ins')).text).to.match(/id="choice-nobody" name="choice" value="nobody" checked/);
    const sent = await ask('elm');
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal('/check-ins?done=kept');
    const elm = await p('elm').get(sent.headers.location!);
    expect(elm.text).to.contain('They’ve chosen how peers check in with them, so this request wasn’t passed on.');
    // Nothing more than that: not which choice they made, nor that it could be a block.
    const notice = /<p class="notice" role="status">([^<]*)<\/p>/.exec(elm.text)![1]!;
    expect(notice).not.to.match(/don’t check in|nobody|block|named/i);
    expect(elm.text).to.match(/For @dawn · <strong>Not passed on<\/strong>/);
    for (const h of ['fern', 'gale']) expect((await p(h).get('/check-ins/waiting')).text).not.to.contain('@dawn');
    expect(await notifications('dawn')).to.deep.equal([]);
  });

  it('honours “only these people”: only the peers the person named see the request and may write', async () => {
    const refused = await p('dawn').submit('/check-ins', '/check-ins/choice', { choice: 'chosen', peers: '@nobody_here' });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('We couldn’t find @nobody_here here.');
    // ash never volunteered, but dawn named them; fern volunteered and wasn't named.
    expect((await p('dawn').submit('/check-ins', '/check-ins/choice', { choice: 'chosen', peers: '@ash gale' })).status).to.equal(303);
    expect((await p('dawn').get('/check-ins')).text).to.contain('value="ash gale"');
    expect((await ask('elm')).headers.location).to.equal('/check-ins?done=asked');

    expect((await p('fern').get('/check-ins/waiting')).text).not.to.contain('@dawn');
    const ashList = await p('ash').get('/check-ins/waiting');
    expect(ashList.text).to.contain('@dawn');
    expect(ashList.text).to.contain('they named you among the peers who may check in on them');
    const requestId = idFrom(ashList.text, /href="\/check-ins\/waiting\/(\d+)"/);
    expect((await p('fern').get(`/check-ins/waiting/${requestId}`)).status).to.equal(404);
    const fernTries = await p('fern').agent.post(`/check-ins/waiting/${requestId}`).type('form').send({ message: 'Hi', _csrf: await p('fern').token('/check-ins') });
    expect(fernTries.status).to.equal(404);
    expect((await p('gale').get(`/check-ins/waiting/${requestId}`)).status).to.equal(200);
    expect((await p('ash').submit(`/check-ins/waiting/${requestId}`, `/check-ins/waiting/${requestId}`, { message: 'Thinking of you. Here if you want company.' })).status).to.equal(303);
    expect((await p('dawn').get('/check-ins')).text).to.contain('From @ash, a peer');
  });

  it('shows the volunteer the person’s “What helps me” while writing, only when it was shared with them', async () => {
    await p('dawn').submit('/settings/what-helps-me', '/settings/what-helps-me', {
      helps: 'A text, not a call.', doesNotHelp: 'Being told to cheer up.', earlySigns: '', hearFrom: 'Fern.', anythingElse: '',
    });
    expect((await p('dawn').submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'fern' })).status).to.equal(303);
    await ask('elm');
    const requestId = idFrom((await p('fern').get('/check-ins/waiting')).text, /href="\/check-ins\/waiting\/(\d+)"/);
    const fernWrites = await p('fern').get(`/check-ins/waiting/${requestId}`);
    expect(fernWrites.status).to.equal(200);
    expect(fernWrites.text).to.contain('What helps @dawn, in their words');
    expect(fernWrites.text).to.contain('A text, not a call.');
    expect(fernWrites.text).to.contain('Being told to cheer up.');
    expect(fernWrites.text).to.contain('<label for="message">Your message to @dawn</label>');
    const galeWrites = await p('gale').get(`/check-ins/waiting/${requestId}`);
    expect(galeWrites.status).to.equal(200);
    expect(galeWrites.text).not.to.contain('A text, not a call.');
  });

  it('never says “report” on the check-in pages', async () => {
    await ask('elm');
    await p('dawn').submit('/check-ins', '/check-ins/ask-for-me', { selfNote: '' });
    const requestId = idFrom((await p('fern').get('/check-ins/waiting')).text, /href="\/check-ins\/waiting\/(\d+)"/);
    const refused = await p('fern').submit(`/check-ins/waiting/${requestId}`, `/check-ins/waiting/${requestId}`, { message: '' });
    expect(refused.status).to.equal(400);
    const pages = [
      await p('elm').get(`/check-ins/ask?post=${postId}`),
      await p('elm').get('/check-ins/ask'),
      await p('elm').get('/check-ins'),
      await p('fern').get('/check-ins/waiting'),
      await p('fern').get(`/check-ins/waiting/${requestId}`),
      refused,
    ];
    for (const page of pages) {
      expect(page.status).to.be.oneOf([200, 400]);
      expect(words(page.text)).not.to.match(/report/i);
    }
  });

  it('makes a moderator’s message visibly and verbally different from a peer’s check-in: it comes from the circle’s moderators and names the agreement', async () => {
    await seatModerators(hearth, 'voices', ['ash'], clock.now());
    const act = await p('ash').submit(`/moderation/act?post=${postId}`, '/moderation/act', {
      kind: 'message',
      post: String(postId),
      agreement: AGREEMENT,
      reason: 'A gentle reminder about content warnings.',
      message: 'Could you add a content warning to posts about not sleeping? Thank you.',
    });
    expect(act.status, act.text).to.equal(303);
    const dawn = await p('dawn').get('/moderation');
    expect(dawn.text).to.contain('<h2 id="modmessages-title">Messages from moderators</h2>');
    expect(dawn.text).to.contain('From the moderators of <a href="/c/voices">Hearing voices</a></strong>, about your post');
    expect(dawn.text).to.contain(`<strong>The agreement they named:</strong> ${AGREEMENT}`);
    expect(dawn.text).to.contain('Could you add a content warning to posts about not sleeping?');
    // It is not a check-in.
    const checkIns = await p('dawn').get('/check-ins');
    expect(checkIns.text).not.to.contain('Could you add a content warning');
    expect(checkIns.text).to.contain('No check-ins yet.');
    // The public log says what it was.
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain('Sent a private message from the moderators');
  });
});
