import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, saveSettings, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const LINE = {
  name: 'Peer Warmline',
  howToReach: 'Call or text 0800 123 456',
  link: 'tel:0800123456',
  hours: 'Every evening, 6pm to midnight',
  languages: 'English, Welsh',
  description: 'Staffed by people with lived experience.',
  emergencyServices: 'Never calls emergency services without your consent.',
};

describe('someone to talk to', () => {
  let hearth: Hearth;
  let steward: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
  });
  afterEach(() => hearth.close());

  it('stewards list peer-run lines, each saying what it does about emergency services, with Hearth’s promise', async () => {
    const empty = await new Visitor(hearth).get('/support');
    expect(empty.text).to.contain('never contacts police or emergency services');
    expect(empty.text).to.contain("haven't listed any lines yet");

    expect((await steward.submit('/steward/support', '/steward/support', LINE)).status).to.equal(303);
    const page = await new Visitor(hearth).get('/support');
    expect(page.text).to.contain('Peer Warmline');
    expect(page.text).to.contain('href="tel:0800123456"');
    expect(page.text).to.contain('Never calls emergency services without your consent.');
    expect(page.text).not.to.match(/\b911\b|\b999\b|\b112\b/);
  });

  it('refuses lines without an emergency-services answer or with unsafe links, keeping what was typed', async () => {
    const res = await steward.submit('/steward/support', '/steward/support', { ...LINE, emergencyServices: '', link: 'javascript:alert(1)' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('What they do about emergency services can’t be empty.');
    expect(res.text).to.contain('starts with https://, tel:, sms: or mailto:');
    expect(res.text).to.contain('value="Peer Warmline"');
    expect(await hearth.db.query('SELECT 1 FROM support_lines')).to.have.length(0);
  });

  it('lets stewards edit and remove lines, and nobody else', async () => {
    await steward.submit('/steward/support', '/steward/support', LINE);
    const id = (await hearth.db.query<{ id: number }>('SELECT id FROM support_lines'))[0]!.id;
    await steward.submit(`/steward/support/${id}`, `/steward/support/${id}`, { ...LINE, hours: 'Weekends' });
    expect((await new Visitor(hearth).get('/support')).text).to.contain('Weekends');
    const member = await memberVisitor(hearth, 'willow');
    expect((await member.get('/steward/support')).status).to.equal(403);
    await steward.submit('/steward/support', `/steward/support/${id}/delete`, {});
    expect((await new Visitor(hearth).get('/support')).text).not.to.contain('Peer Warmline');
  });

  it('is linked quietly from every page', async () => {
    await openCircle(steward, 'voices');
    for (const path of ['/', '/c/voices', '/login', '/waiting']) {
      expect((await new Visitor(hearth).get(path)).text, path).to.contain('<a href="/support">Want to talk with someone who\'s been there?</a>');
    }
  });
});

describe('waiting for a reply', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let alice: Visitor;
  beforeEach(async () => {
    clock = new ManualClock(new Date());
    hearth = await freshHearth({ clock });
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    await openCircle(steward, 'inner', 'Inner', 'members');
    alice = await memberVisitor(hearth, 'alice');
    await admitToCircle(steward, alice, 'inner');
  });
  afterEach(() => hearth.close());

  it('lists unanswered threads, oldest first, until someone replies', async () => {
    const first = await startThread(alice, 'voices', { title: 'First to wait', body: 'hello?' });
    clock.advance(60_000);
    await startThread(alice, 'voices', { title: 'Second to wait', body: 'anyone?', contentWarning: 'low mood' });
    const page = await new Visitor(hearth).get('/waiting');
    expect(page.text.indexOf('First to wait')).to.be.greaterThan(0);
    expect(page.text.indexOf('First to wait')).to.be.lessThan(page.text.indexOf('Second to wait'));
    expect(page.text).to.contain('Content warning: low mood');
    expect((await new Visitor(hearth).get('/')).text).to.contain('First to wait');

    const bob = await memberVisitor(hearth, 'bob');
    await bob.submit(first, `${first}/reply`, { body: 'I am here.' });
    expect((await new Visitor(hearth).get('/waiting')).text).not.to.contain('First to wait');
  });

  it('lets the author say “I’m okay now”, and take it back; nobody else can', async () => {
    const path = await startThread(alice, 'voices', { title: 'Rough night', body: 'cannot sleep' });
    const bob = await memberVisitor(hearth, 'bob');
    expect((await bob.submit(path, `${path}/resolved`, {})).status).to.equal(403);
    await alice.submit(path, `${path}/resolved`, {});
    expect((await new Visitor(hearth).get('/waiting')).text).not.to.contain('Rough night');
    expect((await alice.get(path)).text).to.contain("said they're okay now");
    await alice.submit(path, `${path}/open`, {});
    expect((await new Visitor(hearth).get('/waiting')).text).to.contain('Rough night');
  });

  it('shows members-only threads to members only, and only from the last two weeks', async () => {
    await startThread(alice, 'inner', { title: 'Just for us', body: 'private' });
    expect((await new Visitor(hearth).get('/waiting')).text).not.to.contain('Just for us');
    expect((await alice.get('/waiting')).text).to.contain('Just for us');
    clock.advance(15 * 86_400_000);
    expect((await alice.get('/waiting')).text).not.to.contain('Just for us');
    expect((await alice.get('/waiting')).text).to.contain('Nobody is waiting for a reply right now.');
  });
});

describe('supportive reactions', () => {
  let hearth: Hearth;
  let alice: Visitor;
  let bob: Visitor;
  let path: string;
  let postId: string;
  beforeEach(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
    path = await startThread(alice, 'voices', { title: 'Hard day', body: 'it was hard' });
    postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
  });
  afterEach(() => hearth.close());

  const react = (v: Visitor, kind: string, give = '1') => v.submit(path, `/p/${postId}/react`, { kind, give });

  it('shows counts of a small fixed set, one of each per member, and takes them back', async () => {
    expect((await react(bob, 'hear')).status).to.equal(303);
    await react(bob, 'hear'); // twice: still one
    await react(bob, 'thanks');
    await react(alice, 'hear');
    const page = await bob.get(path);
    expect(page.text).to.match(/aria-pressed="true">I hear you · 2</);
    expect(page.text).to.match(/aria-pressed="true">Thank you · 1</);
    expect(page.text).to.match(/aria-pressed="false">Me too</);
    expect((await new Visitor(hearth).get(path)).text).to.contain('I hear you: 2');
    await react(bob, 'hear', '0');
    expect((await new Visitor(hearth).get(`${path}?again=1`)).text).to.contain('I hear you: 1');
    // No scores anywhere: nothing adds reactions up per person.
    expect((await new Visitor(hearth).get('/u/alice')).text).not.to.match(/reaction|karma|score/i);
  });

  it('refuses kinds outside the set, visitors, and posts that are gone', async () => {
    const odd = await react(bob, 'upvote');
    expect(odd.status).to.equal(400);
    expect(await hearth.db.query('SELECT 1 FROM reactions')).to.have.length(0);
    const visitor = new Visitor(hearth);
    const token = await visitor.token('/login');
    expect((await visitor.agent.post(`/p/${postId}/react`).type('form').send({ _csrf: token, kind: 'hear', give: '1' })).status).to.equal(401);
    await alice.submit(`/p/${postId}/delete`, `/p/${postId}/delete`, {});
    expect((await bob.submit('/', `/p/${postId}/react`, { kind: 'hear', give: '1' })).status).to.equal(404);
  });
});

describe('what each member chooses to see', () => {
  let hearth: Hearth;
  let alice: Visitor;
  let bob: Visitor;
  let path: string;
  beforeEach(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
    path = await startThread(alice, 'voices', { title: 'Appointments', body: 'Another Hospital visit today.', contentWarning: 'medical settings' });
    await alice.submit(path, `${path}/reply`, { body: 'Plain words here.' });
  });
  afterEach(() => hearth.close());

  it('folds posts with a muted word for that member only, and opens content warnings if they prefer', async () => {
    const saved = await saveSettings(bob, { cwDisplay: 'unfolded', mutedWords: 'hospital\n  \nnight shift' });
    expect(saved.status).to.equal(303);
    const forBob = await bob.get(path);
    expect(forBob.text).to.contain('Folded: it mentions “hospital”, which you muted');
    expect((forBob.text.match(/class="muted-fold"/g) ?? []).length).to.equal(1);
    expect((await bob.get('/settings/profile')).text).to.contain('hospital\nnight shift');

    await saveSettings(bob, { cwDisplay: 'unfolded', mutedWords: '' });
    expect((await bob.get(path)).text).to.match(/<details class="content-warning" open>/);
    const forAlice = await alice.get(path);
    expect(forAlice.text).not.to.contain('muted-fold');
    expect(forAlice.text).not.to.match(/<details class="content-warning" open>/);
  });

  it('explains problems with the preferences and keeps what was typed', async () => {
    const res = await saveSettings(bob, { cwDisplay: 'sideways', mutedWords: 'x'.repeat(61) });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Choose how content warnings show.');
    expect(res.text).to.contain('at most 60 characters');
    expect(res.text).to.contain('x'.repeat(61));
  });
});
