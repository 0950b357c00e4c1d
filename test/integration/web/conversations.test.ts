import { expect } from 'chai';
import { strFromU8, unzipSync } from 'fflate';
import type { Hearth } from '../../../src/app.js';
import { eventually, freshHearth, memberVisitor, openCircle, saveSettings, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PASSWORD = 'a long enough password';
const REFUSED = (handle: string) => `You can’t start a conversation with @${handle}. Each member chooses who may write to them.`;
const escaped = (text: string) => text.replace(/'/g, '&#x27;');

/** A page's words without what changes on every request (form tokens). */
const steady = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/name="_once" value="[^"]+"/g, '');

describe('private conversations', () => {
  let hearth: Hearth;
  let steward: Visitor;
  let alice: Visitor;
  let cara: Visitor;
  let dee: Visitor;

  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    cara = await memberVisitor(hearth, 'cara');
    dee = await memberVisitor(hearth, 'dee');
  });
  afterEach(() => hearth.close());

  const join = async (v: Visitor) => expect((await v.submit('/', '/c/voices/join', {})).status).to.equal(303);
  const start = (v: Visitor, to: string, body: string) => v.submit('/conversations/new', '/conversations/new', { to, body });
  /** Starts a conversation and returns its id. */
  async function started(v: Visitor, to: string, body: string): Promise<number> {
    const res = await start(v, to, body);
    expect(res.status, res.text).to.equal(303);
    const match = /^\/conversations\/(\d+)#message-\d+$/.exec(res.headers.location as string);
    expect(match, res.headers.location as string).to.not.equal(null);
    return Number(match![1]);
  }
  const reply = (v: Visitor, id: number, body: string) => v.submit(`/conversations/${id}`, `/conversations/${id}/messages`, { body });
  const act = (v: Visitor, id: number, what: 'accept' | 'ignore' | 'leave') => v.submit('/conversations', `/conversations/${id}/${what}`, {});
  const idOf = async (handle: string) => (await hearth.db.query<{ id: number }>('SELECT id FROM members WHERE handle = $1', [handle]))[0]!.id;
  const notificationsOf = async (handle: string) =>
    hearth.db.query<{ kind: string; link: string }>('SELECT kind, link FROM notifications WHERE member_id = $1 ORDER BY id', [await idOf(handle)]);

  it('lets each member choose who may start one: people they share a circle with (the default), nobody, or anyone here', async () => {
    // A member's page offers a conversation, and the form comes addressed.
    expect((await cara.get('/u/alice')).text).to.contain('href="/conversations/new?to=alice"');
    expect((await alice.get('/u/alice')).text).not.to.contain('/conversations/new');
    expect((await cara.get('/conversations/new?to=alice')).text).to.contain('name="to" type="text" maxlength="300" autocomplete="off" value="alice"');
    const settings = await alice.get('/settings/profile');
    expect(settings.text).to.match(/id="who-circles" name="whoMayMessage" value="circles" checked/);

    const stranger = await start(cara, '@alice', 'Hello from nowhere');
    expect(stranger.status).to.equal(400);
    expect(stranger.text).to.contain(escaped(REFUSED('alice')));
    expect(stranger.text).to.contain('Hello from nowhere');
    await join(alice);
    await join(cara);
    await started(cara, 'alice', 'Hello from the circle');

    expect((await saveSettings(alice, { whoMayMessage: 'nobody' })).status).to.equal(303);
    expect((await alice.get('/settings/profile')).text).to.match(/value="nobody" checked/);
    expect((await start(cara, 'alice', 'Again')).text).to.contain(escaped(REFUSED('alice')));

    expect((await saveSettings(alice, { whoMayMessage: 'anyone' })).status).to.equal(303);
    await started(dee, 'alice', 'Dee here, no circle in common');
    // Saving the rest of the settings without the choice keeps it.
    expect((await saveSettings(alice, { displayName: 'Alice' })).status).to.equal(303);
    expect((await alice.get('/settings/profile')).text).to.match(/value="anyone" checked/);
    expect((await saveSettings(alice, { whoMayMessage: 'everyone-everywhere' })).status).to.equal(400);
  });

  it('makes a first message a request the member accepts or ignores, and the sender is not told which', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const first = await started(cara, 'alice', 'Could we *talk*?');
    const firstMessage = (await hearth.db.query<{ id: number }>('SELECT id FROM conversation_messages WHERE conversation_id = $1', [first]))[0]!.id;
    expect(await notificationsOf('alice')).to.deep.equal([{ kind: 'conversation.request', link: `/conversations/${first}#message-${firstMessage}` }]);

    const list = await alice.get('/conversations');
    expect(list.status).to.equal(200);
    expect(list.headers['cache-control']).to.equal('private, no-store');
    expect(list.text).to.contain('Requests');
    expect(list.text).to.contain(`href="/conversations/${first}"`);
    const request = await alice.get(`/conversations/${first}`);
    expect(request.text).to.contain('<em>talk</em>');
    expect(request.text).to.contain(`action="/conversations/${first}/accept"`);
    expect(request.text).not.to.contain(`action="/conversations/${first}/messages"`);
    expect((await reply(alice, first, 'Not yet accepted')).status).to.equal(403);

    const before = steady((await cara.get(`/conversations/${first}`)).text);
    expect(before).to.contain('Conversations stay on this instance');
    expect((await act(alice, first, 'ignore')).status).to.equal(303);
    expect((await alice.get('/conversations')).text).not.to.contain(`href="/conversations/${first}"`);
    expect(steady((await cara.get(`/conversations/${first}`)).text)).to.equal(before);
    // More messages to an ignored request tell nobody.
    expect((await reply(cara, first, 'Still there?')).status).to.equal(303);
    expect(await notificationsOf('alice')).to.have.length(1);

    const second = await started(cara, 'alice', 'Trying once more');
    expect((await act(alice, second, 'accept')).status).to.equal(303);
    expect(steady((await cara.get(`/conversations/${first}`)).text)).to.contain('Still there?');
    expect((await reply(alice, second, 'Yes, **let’s**')).status).to.equal(303);
    const caraSees = await cara.get(`/conversations/${second}`);
    expect(caraSees.text).to.contain('<strong>let’s</strong>');
    expect((await notificationsOf('cara')).map((n) => n.kind)).to.deep.equal(['conversation.message']);
    expect((await alice.get('/conversations')).text).to.contain(`href="/conversations/${second}"`);

    // Having talked, a new conversation from cara is no longer a request.
    const third = await started(cara, 'alice', 'A new topic');
    expect((await alice.get(`/conversations/${third}`)).text).to.contain(`action="/conversations/${third}/messages"`);
    expect((await notificationsOf('alice')).map((n) => n.kind)).to.deep.equal(['conversation.request', 'conversation.request', 'conversation.message']);
    // Plain text is kept for search.
    const plain = await hearth.db.query<{ plain_text: string }>("SELECT plain_text FROM conversation_messages WHERE source = 'Yes, **let’s**'");
    expect(plain[0]!.plain_text.trim()).to.equal('Yes, let’s');
  });

  it('ends a conversation both ways when one blocks the other, and the blocked member cannot start a new one', async () => {
    await join(alice);
    await join(dee);
    const id = await started(dee, 'alice', 'Hi Alice');
    await act(alice, id, 'accept');
    expect((await reply(alice, id, 'Hi Dee')).status).to.equal(303);

    expect((await alice.submit('/moderation', '/moderation/blocks', { handle: 'dee' })).status).to.equal(303);
    for (const v of [alice, dee]) {
      const refused = await reply(v, id, 'one more');
      expect(refused.status).to.equal(403);
      expect(refused.text).to.contain('This conversation has ended');
      const page = await v.get(`/conversations/${id}`);
      expect(page.text).to.contain('This conversation has ended');
      expect(page.text).not.to.contain(`action="/conversations/${id}/messages"`);
    }
    const fromDee = await start(dee, 'alice', 'Please?');
    expect(fromDee.status).to.equal(400);
    // The same words as for anyone Alice doesn't take messages from: nothing says "blocked".
    expect(fromDee.text).to.contain(escaped(REFUSED('alice')));
    expect(fromDee.text).not.to.match(/blocked/i);
    expect((await start(alice, 'dee', 'Hm')).text).to.contain(escaped(REFUSED('dee')));
    expect(await hearth.db.query("SELECT 1 FROM conversation_messages WHERE source IN ('one more', 'Please?', 'Hm')")).to.have.length(0);
  });

  it('lets anyone leave: the others see that they left, and it is gone for them', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    await saveSettings(dee, { whoMayMessage: 'anyone' });
    await saveSettings(alice, { displayName: 'Alice Wren' });
    const id = await started(cara, 'alice, @dee', 'Three of us');
    await act(alice, id, 'accept');
    await act(dee, id, 'accept');
    expect((await act(alice, id, 'leave')).status).to.equal(303);
    expect((await alice.get(`/conversations/${id}`)).status).to.equal(404);
    expect((await alice.get('/conversations')).text).not.to.contain(`href="/conversations/${id}"`);
    expect((await reply(alice, id, 'back?')).status).to.equal(404);
    for (const v of [cara, dee]) expect((await v.get(`/conversations/${id}`)).text).to.contain('Alice Wren left');
    expect((await reply(dee, id, 'Still here')).status).to.equal(303);

    // Leaving a request unanswered goes quietly, and doesn't count as having talked.
    const fern = await memberVisitor(hearth, 'fern');
    await saveSettings(fern, { whoMayMessage: 'anyone' });
    const quiet = await started(cara, 'fern', 'Just us two');
    expect((await act(fern, quiet, 'leave')).status).to.equal(303);
    expect((await cara.get(`/conversations/${quiet}`)).text).not.to.contain(' left ·');
    await saveSettings(fern, { whoMayMessage: 'circles' });
    expect((await start(cara, 'fern', 'Again?')).text).to.contain(escaped(REFUSED('fern')));
  });

  it('sends a reported message to the stewards, its text only when the reporter includes it', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const id = await started(cara, 'alice', 'First unkind words');
    await reply(cara, id, 'Second unkind words');
    await act(alice, id, 'accept');
    const [m1, m2] = (await hearth.db.query<{ id: number }>('SELECT id FROM conversation_messages WHERE conversation_id = $1 ORDER BY id', [id])).map((r) => r.id);
    const page = `/conversations/${id}/messages/${m1}/report`;
    const form = await alice.get(page);
    expect(form.status).to.equal(200);
    expect(form.text).to.match(/<input type="checkbox" id="includeText" name="includeText" aria-describedby/);

    expect((await alice.submit(page, page, { reason: 'harassment', note: 'This hurt' })).status).to.equal(303);
    let queue = await steward.get('/moderation/review');
    expect(queue.text).to.contain('the reporter didn’t include its text');
    expect(queue.text).to.contain('This hurt');
    expect(queue.text).not.to.contain('First unkind words');

    const page2 = `/conversations/${id}/messages/${m2}/report`;
    expect((await alice.submit(page2, page2, { reason: 'harassment', note: '', includeText: 'on' })).status).to.equal(303);
    queue = await steward.get('/moderation/review');
    expect(queue.text).to.contain('Second unkind words');
    expect(queue.text).not.to.contain('First unkind words');
    const rows = await hearth.db.query<{ circle_id: number | null; member_id: number; message_text_shared: boolean }>('SELECT circle_id, member_id, message_text_shared FROM reports ORDER BY id');
    expect(rows).to.deep.equal([
      { circle_id: null, member_id: await idOf('cara'), message_text_shared: false },
      { circle_id: null, member_id: await idOf('cara'), message_text_shared: true },
    ]);
    // One's own message can't be reported; nor a message in someone else's conversation.
    expect((await cara.get(page)).status).to.equal(404);
    expect((await dee.get(page)).status).to.equal(404);
  });

  it('shows nothing to anyone not in it, stewards included', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const id = await started(cara, 'alice', 'Just between us');
    const mid = (await hearth.db.query<{ id: number }>('SELECT id FROM conversation_messages WHERE conversation_id = $1', [id]))[0]!.id;
    for (const v of [steward, dee]) {
      const res = await v.get(`/conversations/${id}`);
      expect(res.status).to.equal(404);
      expect(res.text).not.to.contain('Just between us');
      expect((await v.get('/conversations')).text).not.to.contain(`/conversations/${id}`);
      expect((await reply(v, id, 'butting in')).status).to.equal(404);
      expect((await act(v, id, 'accept')).status).to.equal(404);
      expect((await v.get(`/conversations/${id}/messages/${mid}/report`)).status).to.equal(404);
    }
    expect((await new Visitor(hearth).get(`/conversations/${id}`)).status).to.equal(303);
    expect((await alice.get('/conversations/nonsense')).status).to.equal(404);
  });

  it('keeps messages and recipients within limits', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const long = await start(cara, 'alice', 'x'.repeat(5001));
    expect(long.status).to.equal(400);
    expect(long.text).to.contain('at most 5,000 characters');
    const many = await start(cara, 'a1 a2 a3 a4 a5 a6 a7 a8 a9', 'hi');
    expect(many.status).to.equal(400);
    expect(many.text).to.contain('up to 8 people');
    expect((await start(cara, 'nobody_here', 'hi')).text).to.contain('There’s no member with the handle @nobody_here here.');
    expect((await start(cara, 'cara', 'hi')).status).to.equal(400);
    expect((await start(cara, '', 'hi')).status).to.equal(400);
    expect((await start(cara, 'alice', '   ')).status).to.equal(400);
    const id = await started(cara, 'alice', 'ok');
    expect((await reply(cara, id, 'y'.repeat(5001))).status).to.equal(400);
    expect(await hearth.db.query('SELECT 1 FROM conversations')).to.have.length(1);
  });

  it('is found by search only by the people in it, and no longer once they leave', async () => {
    await join(alice);
    await join(cara);
    const id = await started(cara, 'alice', 'The lighthouse walk helped with the <b>noise</b>');
    // A public post with the same words, so every searcher finds something.
    expect((await steward.submit('/c/voices/new', '/c/voices/new', { title: 'Walks', body: 'A lighthouse walk on Sunday' })).status).to.equal(303);
    const found = async (v: Visitor) => {
      const page = await v.get('/search?q=lighthouse+walk');
      expect(page.status).to.equal(200);
      return page.text.includes(`href="/conversations/${id}#message-`);
    };
    expect(await found(cara)).to.equal(true);
    expect(await found(alice)).to.equal(true);
    const page = (await alice.get('/search?q=lighthouse+walk')).text;
    expect(page).to.contain('Private conversation with @cara');
    expect(page).to.contain('&lt;b&gt;');
    expect(await found(dee)).to.equal(false);
    expect(await found(steward)).to.equal(false);
    expect(await found(new Visitor(hearth))).to.equal(false);
    // A circle filter looks in that circle only.
    expect((await cara.get('/search?q=lighthouse+walk&circle=voices')).text).to.not.contain(`/conversations/${id}#`);
    expect((await act(alice, id, 'leave')).status).to.equal(303);
    expect(await found(alice)).to.equal(false);
    expect(await found(cara)).to.equal(true);
  });

  it('is not found by search from someone blocked, either way', async () => {
    await join(alice);
    await join(cara);
    const id = await started(cara, 'alice', 'The harbour bench is quiet at dawn');
    const found = async (v: Visitor) => (await v.get('/search?q=harbour+bench')).text.includes(`href="/conversations/${id}#message-`);
    expect(await found(alice)).to.equal(true);
    expect((await alice.submit('/moderation', '/moderation/blocks', { handle: 'cara' })).status).to.equal(303);
    expect(await found(alice)).to.equal(false);
  });

  it('lets a peer’s check-in continue as a conversation, if both want', async () => {
    // Dee offers to check in; Alice asks for a check-in for herself; Dee writes.
    expect((await dee.submit('/check-ins', '/check-ins/volunteer', { checkIn: 'on' })).status).to.equal(303);
    expect((await alice.submit('/check-ins', '/check-ins/ask-for-me', { selfNote: 'Quiet lately.' })).status).to.equal(303);
    const list = await dee.get('/check-ins/waiting');
    const requestId = /href="\/check-ins\/waiting\/(\d+)"/.exec(list.text)![1]!;
    expect((await dee.submit(`/check-ins/waiting/${requestId}`, `/check-ins/waiting/${requestId}`, { message: 'Thinking of you. Here if you want to talk.' })).status).to.equal(303);
    // Dee lets nobody start conversations: a check-in she sent can still continue, as a request she may accept.
    await saveSettings(dee, { whoMayMessage: 'nobody' });

    const mine = await alice.get('/check-ins');
    const checkInId = /action="\/check-ins\/(\d+)\/conversation"/.exec(mine.text)![1]!;
    // Only the member it was sent to can continue it.
    const notCara = await cara.submit('/check-ins', `/check-ins/${checkInId}/conversation`, { conversationBody: 'Not mine' });
    expect(notCara.status).to.equal(404);
    const empty = await alice.submit('/check-ins', `/check-ins/${checkInId}/conversation`, { conversationBody: ' ' });
    expect(empty.status).to.equal(400);

    const started = await alice.submit('/check-ins', `/check-ins/${checkInId}/conversation`, { conversationBody: 'Thank you. Could we keep talking here?' });
    expect(started.status).to.equal(303);
    const conversationId = /^\/conversations\/(\d+)#message-\d+$/.exec(started.headers.location!)![1]!;
    const request = await dee.get(`/conversations/${conversationId}`);
    expect(request.text).to.contain('Could we keep talking here?');
    expect(request.text).to.contain(`action="/conversations/${conversationId}/accept"`);
    await act(dee, Number(conversationId), 'accept');
    expect((await reply(dee, Number(conversationId), 'Gladly')).status).to.equal(303);
    expect((await alice.get(`/conversations/${conversationId}`)).text).to.contain('Gladly');
  });

  async function download(v: Visitor) {
    const token = await v.token('/settings/leave');
    return v.agent.post('/settings/leave/export').type('form').send({ _csrf: token }).buffer(true).parse((res, done) => {
      const stream = res as unknown as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
  }

  it('is in the member’s export: the conversations and what they wrote, not what others wrote', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const id = await started(cara, 'alice', 'Cara’s words');
    await act(alice, id, 'accept');
    await reply(alice, id, 'Alice’s words');
    const res = await download(alice);
    expect(res.status).to.equal(200);
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const doc = JSON.parse(strFromU8(files['hearth-export.json']!)) as { sections: { conversations: { whoMayStartOne: string; conversations: Array<{ with: string[]; messages: Array<{ text: string }> }> } } };
    expect(doc.sections.conversations.whoMayStartOne).to.equal('anyone');
    expect(doc.sections.conversations.conversations).to.have.length(1);
    expect(doc.sections.conversations.conversations[0]!.with).to.deep.equal(['cara']);
    expect(doc.sections.conversations.conversations[0]!.messages.map((m) => m.text)).to.deep.equal(['Alice’s words']);
    expect(strFromU8(files['hearth-export.json']!)).not.to.contain('Cara’s words');
    expect(strFromU8(files['hearth-export.html']!)).to.contain('Your conversations');
  });

  const leaveHearth = (v: Visitor, handle: string, posts: 'remove' | 'keep') => v.submit('/settings/leave', '/settings/leave/delete', { posts, handle, password: PASSWORD });
  const deletionDone = (handle: string) => eventually(async () => (await hearth.services.leaving.deletionOf(handle))?.completedAt, 10_000);

  it('goes with an account as posts do: words removed, or kept as from a former member', async () => {
    await saveSettings(alice, { whoMayMessage: 'anyone' });
    const fromCara = await started(cara, 'alice', 'Cara wrote this');
    const fromDee = await started(dee, 'alice', 'Dee wrote this');
    await act(alice, fromCara, 'accept');
    await act(alice, fromDee, 'accept');

    expect((await leaveHearth(cara, 'cara', 'remove')).status).to.equal(303);
    await deletionDone('cara');
    const removed = await alice.get(`/conversations/${fromCara}`);
    expect(removed.text).to.contain('This message was removed by its author.');
    expect(removed.text).to.contain('A former member left');
    expect(removed.text).not.to.contain('Cara wrote this');
    expect(await hearth.db.query("SELECT 1 FROM conversation_messages WHERE source = 'Cara wrote this' OR plain_text LIKE '%Cara wrote%'")).to.have.length(0);

    expect((await leaveHearth(dee, 'dee', 'keep')).status).to.equal(303);
    await deletionDone('dee');
    const kept = await alice.get(`/conversations/${fromDee}`);
    expect(kept.text).to.contain('Dee wrote this');
    expect(kept.text).to.contain('A former member');
    expect(kept.text).not.to.contain('@dee');
    expect(kept.text).to.contain('Everyone else has left this conversation.');
  });
});
