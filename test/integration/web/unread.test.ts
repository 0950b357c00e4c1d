import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, startThread, threadRowOf, Visitor, withSteward } from '../../helpers/test-hearth.js';

const HOUR = 3_600_000;

describe('thread rows and unread marks (HTTP)', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let steward: Visitor;
  beforeEach(async () => {
    // Members join at the database's time; the posts below come a little later.
    clock = new ManualClock(new Date(Date.now() + 60_000));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
  });
  afterEach(() => hearth.close());

  const reply = (v: Visitor, path: string, body: string) => v.submit(path, `${path}/reply`, { body, contentWarning: '' });
  const replyAs = async (handle: string, threadId: number, body: string) => {
    const member = await hearth.services.members.getByHandle(handle);
    return hearth.services.threads.reply(member, threadId, { body });
  };

  it('shows each thread’s reply count, last activity (relative, with the exact time) and who took part', async () => {
    const alice = await memberVisitor(hearth, 'alice');
    const bob = await memberVisitor(hearth, 'bob');
    const carol = await memberVisitor(hearth, 'carol');
    const path = await startThread(alice, 'voices', { title: 'Sleep and voices', body: 'Nights are hard.' });
    clock.advance(HOUR);
    expect((await reply(bob, path, 'Mine too.')).status).to.equal(303);
    clock.advance(HOUR);
    expect((await reply(carol, path, 'Same here.')).status).to.equal(303);
    const lastAt = clock.now();
    clock.advance(3 * HOUR);

    for (const page of [await new Visitor(hearth).get('/c/voices'), await new Visitor(hearth).get('/')]) {
      const row = threadRowOf(page.text, 'Sleep and voices');
      expect(row, page.text).not.to.equal('');
      expect(row).to.contain('2 replies');
      expect(row).to.contain(`<time datetime="${lastAt.toISOString()}" title="`);
      expect(row).to.contain('>3 hours ago</time>');
      // The last people who took part, the most recent first, as initials beside their names (for screen readers).
      expect(row).to.contain('Took part: carol, bob, alice');
      const initials = [...row.matchAll(/avatar-initials avatar-c\d" aria-hidden="true">([^<]+)</g)].map((m) => m[1]);
      expect(initials).to.deep.equal(['C', 'B', 'A']);
      // Visitors have nothing unread.
      expect(row).not.to.contain('new posts');
    }
    // The home page says which circle each thread is in.
    expect(threadRowOf((await new Visitor(hearth).get('/')).text, 'Sleep and voices')).to.contain('in Hearing voices');
  });

  it('marks a thread unread until it is opened, again after a new reply, and jumps to the first unread post', async () => {
    const bob = await memberVisitor(hearth, 'bob');
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', { title: 'Checking in', body: 'How is everyone?' });
    const threadId = Number(path.split('/').pop());

    // Bob hasn't opened it: unread, and its link goes on where he left off.
    let row = threadRowOf((await bob.get('/c/voices')).text, 'Checking in');
    expect(row).to.contain('is-unread');
    expect(row).to.contain('new posts');
    expect(row).to.contain(`href="${path}/unread"`);
    // Its author has read her own thread.
    expect(threadRowOf((await alice.get('/c/voices')).text, 'Checking in')).not.to.contain('new posts');

    const opening = await bob.get(`${path}/unread`);
    expect(opening.status).to.equal(303);
    expect(opening.headers.location).to.match(new RegExp(`^${path}#post-\\d+$`));

    // Opening the thread reads it.
    expect((await bob.get(path)).status).to.equal(200);
    row = threadRowOf((await bob.get('/c/voices')).text, 'Checking in');
    expect(row).not.to.contain('new posts');
    expect(row).to.contain(`href="${path}"`);
    expect((await bob.get(`${path}/unread`)).headers.location).to.equal(path);

    // A new reply from Alice makes it unread again; the jump lands on that reply.
    clock.advance(60_000);
    const answer = await replyAs('alice', threadId, 'Still here.');
    expect(threadRowOf((await bob.get('/c/voices')).text, 'Checking in')).to.contain('new posts');
    expect(threadRowOf((await bob.get('/')).text, 'Checking in')).to.contain('new posts');
    expect((await bob.get(`${path}/unread`)).headers.location).to.equal(`${path}#post-${answer.id}`);

    // Bob's own reply is nothing new for him.
    await bob.get(path);
    clock.advance(60_000);
    expect((await reply(bob, path, 'Glad you are.')).status).to.equal(303);
    expect(threadRowOf((await bob.get('/c/voices')).text, 'Checking in')).not.to.contain('new posts');
  });

  it('jumps to the right page of a long thread, and reading an earlier page never unreads a later one', async () => {
    const bob = await memberVisitor(hearth, 'bob');
    const alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', { title: 'A long one', body: 'Post 1' });
    const threadId = Number(path.split('/').pop());
    const replies = [];
    for (let n = 2; n <= 60; n++) {
      clock.advance(1000);
      replies.push(await replyAs('alice', threadId, `Post ${n}`));
    }
    // Bob reads the first page (50 posts): the first post he hasn't read is the 51st, on page 2.
    expect((await bob.get(path)).status).to.equal(200);
    const fifty1st = replies[49]!;
    expect((await bob.get(`${path}/unread`)).headers.location).to.equal(`${path}?page=2#post-${fifty1st.id}`);
    expect(threadRowOf((await bob.get('/c/voices')).text, 'A long one')).to.contain('new posts');

    // Page 2 reads the rest; page 1 again doesn't move the mark back.
    await bob.get(`${path}?page=2`);
    await bob.get(path);
    expect(threadRowOf((await bob.get('/c/voices')).text, 'A long one')).not.to.contain('new posts');
    expect((await bob.get(`${path}/unread`)).headers.location).to.equal(path);
  });

  it('marks a whole circle read with one form', async () => {
    const carol = await memberVisitor(hearth, 'carol');
    const alice = await memberVisitor(hearth, 'alice');
    await startThread(alice, 'voices', { title: 'First', body: 'One' });
    clock.advance(1000);
    await startThread(alice, 'voices', { title: 'Second', body: 'Two' });

    const before = await carol.get('/c/voices');
    expect(threadRowOf(before.text, 'First')).to.contain('new posts');
    expect(threadRowOf(before.text, 'Second')).to.contain('new posts');
    expect(before.text).to.contain('Mark this circle read');

    const marked = await carol.submit('/c/voices', '/c/voices/read', {});
    expect(marked.status).to.equal(303);
    expect(marked.headers.location).to.equal('/c/voices');
    const after = await carol.get('/c/voices');
    expect(threadRowOf(after.text, 'First')).not.to.contain('new posts');
    expect(threadRowOf(after.text, 'Second')).not.to.contain('new posts');
    expect(after.text).not.to.contain('Mark this circle read');

    // Visitors can't, and see no such button.
    const visitor = new Visitor(hearth);
    expect((await visitor.get('/c/voices')).text).not.to.contain('Mark this circle read');
  });
});
