import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { insertMentions } from '../../../src/storage/repositories/mention-repository.js';
import { freshHearth, memberVisitor, openCircle, saveSettings, settled, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** The member's notification rows, oldest first. */
async function rowsOf(hearth: Hearth, handle: string) {
  return hearth.db.query<{ id: string; kind: string; link: string; read_at: Date | null; visible_from: Date; details: Record<string, unknown> }>(
    `SELECT n.id, n.kind, n.link, n.read_at, n.visible_from, n.details FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.handle = $1 ORDER BY n.id`,
    [handle],
  );
}

async function reply(v: Visitor, path: string, body: string): Promise<number> {
  const res = await v.submit(path, `${path}/reply`, { body, contentWarning: '' });
  if (res.status !== 303) throw new Error(`reply failed: ${res.status}\n${res.text}`);
  await settled();
  return Number(/#post-(\d+)$/.exec(res.headers.location as string)![1]);
}

async function watch(v: Visitor, pagePath: string, action: string, level: string) {
  const res = await v.submit(pagePath, action, { level });
  expect(res.status, res.text).to.equal(303);
}

describe('notifications (HTTP)', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let steward: Visitor;
  let alice: Visitor;
  let bob: Visitor;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-02T12:00:00Z'));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
  });
  afterEach(() => hearth.close());

  it('tells a thread’s author of a reply; opening it lands on the reply and clears the count', async () => {
    const path = await startThread(alice, 'voices', { title: 'A hard week', body: 'Loud week.' });
    const postId = await reply(bob, path, 'I hear you.');
    const rows = await rowsOf(hearth, 'alice');
    expect(rows.map((r) => r.kind)).to.deep.equal(['reply']);
    expect(rows[0]!.link).to.equal(`${path}#post-${postId}`);
    expect(await rowsOf(hearth, 'bob')).to.have.length(0);

    const page = await alice.get('/notifications');
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.contain('no-store');
    expect(page.text).to.contain('1 unread notification');
    expect(page.text).to.contain('bob replied in “A hard week”');
    expect(page.text).to.match(/<span class="visually-hidden">Unread:<\/span>/);

    // Every page a member reads has the count for the navigation (res.locals.unreadNotifications).
    const counts: unknown[] = [];
    const render = hearth.app.render.bind(hearth.app);
    hearth.app.render = ((name: string, options: Record<string, unknown>, done: (err: Error | null, html?: string) => void) => {
      const locals = (options._locals ?? {}) as Record<string, unknown>;
      counts.push(options.unreadNotifications ?? locals.unreadNotifications);
      return render(name, options, done);
    }) as typeof hearth.app.render;
    expect((await alice.get('/')).status).to.equal(200);
    expect((await alice.get('/c/voices')).status).to.equal(200);
    expect(counts).to.deep.equal([1, 1]);

    const open = await alice.get(`/notifications/${rows[0]!.id}/open`);
    expect(open.status).to.equal(303);
    expect(open.headers.location).to.equal(`${path}#post-${postId}`);
    const landed = await alice.get(path);
    expect(landed.text).to.contain(`id="post-${postId}"`);
    expect((await rowsOf(hearth, 'alice'))[0]!.read_at).not.to.equal(null);
    expect((await alice.get('/notifications')).text).to.contain('Nothing unread');
    expect(counts.at(-1)).to.equal(0);
    expect(await hearth.services.notifications.unreadCount((await hearth.services.members.getByHandle('alice')).id)).to.equal(0);
  });

  it('links to the right page of a long thread', async () => {
    const path = await startThread(alice, 'voices', { title: 'Long', body: 'Start.' });
    const thread = Number(path.split('/').pop());
    const aliceId = (await hearth.services.members.getByHandle('alice')).id;
    // 50 posts fill the first page (the opening post and 49 replies of alice's own).
    await hearth.db.query(
      `INSERT INTO posts (thread_id, author_id, source, html, created_at) SELECT $1, $2, 'x', '<p>x</p>', $3::timestamptz + g * interval '1 second' FROM generate_series(1, 49) g`,
      [thread, aliceId, clock.now()],
    );
    clock.advance(3_600_000);
    const postId = await reply(bob, path, 'On page two.');
    expect((await rowsOf(hearth, 'alice'))[0]!.link).to.equal(`${path}?page=2#post-${postId}`);
    expect((await alice.get(`${path}?page=2`)).text).to.contain(`id="post-${postId}"`);
  });

  it('tells a mentioned member (from post_mentions), once, and not when the author is blocked', async () => {
    const carol = await memberVisitor(hearth, 'carol');
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'Hi.' });
    const postId = await reply(bob, path, 'Hi @carol');
    const carolId = (await hearth.services.members.getByHandle('carol')).id;
    // What the mentions parser writes with the post; the job that runs after the post's commit reads it.
    await insertMentions(hearth.db, postId, { memberIds: [carolId], remoteActorIris: [] });
    const event = { threadId: Number(path.split('/').pop()), postId, circleId: (await hearth.services.circles.get('voices', undefined)).id, authorId: (await hearth.services.members.getByHandle('bob')).id };
    await hearth.events.dispatch('post.replied', event);
    await hearth.events.dispatch('post.replied', event); // a job run twice tells nobody twice
    expect((await rowsOf(hearth, 'carol')).map((r) => r.kind)).to.deep.equal(['mention']);
    expect((await carol.get('/notifications')).text).to.contain('bob mentioned you in “Hello”');

    // carol blocks bob: his next mention of her tells her nothing.
    expect((await carol.submit('/moderation', '/moderation/blocks', { handle: 'bob' })).status).to.equal(303);
    const second = await reply(bob, path, 'Again @carol');
    await insertMentions(hearth.db, second, { memberIds: [carolId], remoteActorIris: [] });
    await hearth.events.dispatch('post.replied', { ...event, postId: second });
    expect(await rowsOf(hearth, 'carol')).to.have.length(1);
  });

  it('tells of replies from other servers, and new threads of a followed circle watched on “every post”', async () => {
    const path = await startThread(alice, 'voices', { title: 'Across', body: 'Hello, fediverse.' });
    const opening = Number(/id="post-(\d+)"/.exec((await alice.get(path)).text)![1]);
    const sam = { iri: 'https://social.example/users/sam', host: 'social.example', handle: 'sam', displayName: 'Sam', profileUrl: null, avatarUrl: null };
    const reply = await hearth.federation.remotePosts.receiveReply(Number(path.split('/').pop()), { apId: 'https://social.example/notes/1', author: sam, html: '<p>Hi from afar</p>', contentWarning: null, published: clock.now() }, opening);
    await settled();
    const rows = await rowsOf(hearth, 'alice');
    expect(rows.map((r) => r.kind)).to.deep.equal(['reply']);
    expect(rows[0]!.link).to.equal(`${path}#post-${reply!.id}`);
    expect((await alice.get('/notifications')).text).to.contain('Sam replied in “Across”');

    // bob follows a circle elsewhere and watches every post of it.
    const circle = (await hearth.db.query<{ id: number }>(
      "INSERT INTO remote_circles (iri, host, handle, name, inbox) VALUES ('https://groups.example/c/tea', 'groups.example', 'tea', 'Tea', 'https://groups.example/inbox') RETURNING id",
    ))[0]!;
    const bobId = (await hearth.services.members.getByHandle('bob')).id;
    await hearth.db.query("INSERT INTO remote_circle_follows (member_id, remote_circle_id, follow_iri, state) VALUES ($1, $2, 'https://here/follow/1', 'accepted')", [bobId, circle.id]);
    await watch(bob, `/f/${circle.id}`, `/f/${circle.id}/watch`, 'every');
    const post = await hearth.services.followed.receive(
      'https://groups.example/c/tea',
      { apId: 'https://groups.example/p/9', author: sam, html: '<p>Kettle on</p>', contentWarning: null, published: clock.now() },
      undefined,
      'Tea time',
      (id) => `http://localhost:3000/p/${id}`,
    );
    const bobs = await rowsOf(hearth, 'bob');
    expect(bobs.map((r) => r.kind)).to.deep.equal(['thread.new']);
    expect(bobs[0]!.link).to.equal(`/f/${circle.id}/t/${post!.threadId}#post-${post!.id}`);
    expect((await bob.get('/notifications')).text).to.contain('Sam started “Tea time” in Tea');
  });

  it('reminds a member a day before each date of a meeting they said they’d come to, once', async () => {
    // clock: Monday 2 March 12:00 UTC; a weekly meeting on Tuesdays 19:00 Berlin (18:00 UTC), from 3 March.
    const made = await steward.submit('/c/voices/meetings', '/c/voices/meetings', {
      title: 'Tuesday evening group', description: '', startDate: '2026-03-03', startTime: '19:00', timeZone: 'Europe/Berlin',
      duration: '', recurrence: 'weekly', repeatUntil: '', place: 'Community centre', link: '', contact: '',
    });
    expect(made.status, made.text).to.equal(303);
    const meetingPath = made.headers.location as string;
    expect((await alice.get(meetingPath)).text).to.contain('I’ll come (remind me a day before)');
    expect((await alice.submit(meetingPath, `${meetingPath}/attend`, { coming: '1' })).status).to.equal(303);
    expect((await alice.get(meetingPath)).text).to.contain('You said you’d come');
    const reminders = hearth.services.meetingReminders;
    expect(await reminders.remindDue()).to.equal(0); // 30 hours before
    clock.set(new Date('2026-03-02T18:30:00Z'));
    expect(await reminders.remindDue()).to.equal(1);
    expect(await reminders.remindDue()).to.equal(0); // once
    const rows = await rowsOf(hearth, 'alice');
    expect(rows.map((r) => r.kind)).to.deep.equal(['meeting.reminder']);
    expect(rows[0]!.link).to.equal(meetingPath.replace(/\?.*$/, ''));
    expect((await alice.get('/notifications')).text).to.contain('A meeting you said you’d come to is soon: Tuesday evening group');
    // The next week's date is reminded of in its turn.
    clock.set(new Date('2026-03-09T18:30:00Z'));
    expect(await reminders.remindDue()).to.equal(1);
    // Not coming after all: no more reminders.
    expect((await alice.submit(meetingPath, `${meetingPath}/attend`, { coming: '0' })).status).to.equal(303);
    clock.set(new Date('2026-03-16T18:30:00Z'));
    expect(await reminders.remindDue()).to.equal(0);
    expect(bob).to.be.instanceOf(Visitor);
  });

  it('tells nothing from a member the recipient blocked, or who blocked them', async () => {
    const carol = await memberVisitor(hearth, 'carol');
    const dave = await memberVisitor(hearth, 'dave');
    await watch(alice, '/c/voices', '/c/voices/watch', 'every');
    expect((await alice.submit('/moderation', '/moderation/blocks', { handle: 'bob' })).status).to.equal(303);
    expect((await dave.submit('/moderation', '/moderation/blocks', { handle: 'alice' })).status).to.equal(303);
    await startThread(bob, 'voices', { title: 'From bob', body: 'Hi.' });
    await startThread(dave, 'voices', { title: 'From dave', body: 'Hi.' });
    await startThread(carol, 'voices', { title: 'From carol', body: 'Hi.' });
    await settled();
    const rows = await rowsOf(hearth, 'alice');
    expect(rows.map((r) => r.kind)).to.deep.equal(['thread.new']);
    expect((await alice.get('/notifications')).text).to.contain('carol started “From carol”');
  });

  it('applies muted words to posts', async () => {
    expect((await saveSettings(alice, { mutedWords: 'spiders' })).status).to.equal(303);
    const path = await startThread(alice, 'voices', { title: 'Mine', body: 'Hi.' });
    await reply(bob, path, 'There were spiders everywhere');
    expect(await rowsOf(hearth, 'alice')).to.have.length(0);
    await reply(bob, path, 'Something else');
    expect(await rowsOf(hearth, 'alice')).to.have.length(1);
  });

  it('follows watching levels per thread and per circle', async () => {
    const carol = await memberVisitor(hearth, 'carol');
    const path = await startThread(alice, 'voices', { title: 'Watched', body: 'Hi.' });
    // carol replied once: she watches at "replies to me and mentions", so others' replies tell her nothing.
    await reply(carol, path, 'Me too.');
    await reply(bob, path, 'And me.');
    expect(await rowsOf(hearth, 'carol')).to.have.length(0);
    expect((await carol.get(path)).text).to.match(/value="replies" checked/);

    // "every post" on the thread
    await watch(carol, path, `${path}/watch`, 'every');
    await reply(bob, path, 'One more.');
    expect((await rowsOf(hearth, 'carol')).map((r) => r.kind)).to.deep.equal(['post.new']);
    expect((await carol.get('/notifications')).text).to.contain('bob posted in “Watched”');

    // "nothing" on her own thread: alice is not told of replies.
    const before = (await rowsOf(hearth, 'alice')).length;
    await watch(alice, path, `${path}/watch`, 'nothing');
    await reply(bob, path, 'Still here.');
    expect(await rowsOf(hearth, 'alice')).to.have.length(before);

    // "every post" on the circle: new threads and their replies.
    await watch(bob, '/c/voices', '/c/voices/watch', 'every');
    expect((await bob.get('/c/voices')).text).to.match(/value="every" checked/);
    const other = await startThread(carol, 'voices', { title: 'New one', body: 'Hi.' });
    await settled();
    expect((await rowsOf(hearth, 'bob')).map((r) => r.kind)).to.deep.equal(['thread.new']);
    expect((await bob.get('/notifications')).text).to.contain('carol started “New one” in Hearing voices');
    await reply(alice, other, 'Welcome.');
    expect((await rowsOf(hearth, 'bob')).map((r) => r.kind)).to.deep.equal(['thread.new', 'post.new']);
    // …unless the thread itself says otherwise.
    await watch(bob, other, `${other}/watch`, 'nothing');
    await reply(alice, other, 'Again.');
    expect(await rowsOf(hearth, 'bob')).to.have.length(2);
    // "nothing" on the circle: nothing from new threads there.
    await watch(bob, '/c/voices', '/c/voices/watch', 'nothing');
    await startThread(carol, 'voices', { title: 'Quiet', body: 'Hi.' });
    await settled();
    expect(await rowsOf(hearth, 'bob')).to.have.length(2);
  });

  it('groups reactions per post and kind, and a member can turn them off', async () => {
    const carol = await memberVisitor(hearth, 'carol');
    const path = await startThread(alice, 'voices', { title: 'Mine', body: 'Hi.' });
    const opening = Number(/id="post-(\d+)"/.exec((await alice.get(path)).text)![1]);
    for (const v of [bob, carol]) expect((await v.submit(path, `/p/${opening}/react`, { reaction: 'hear:1' })).status).to.equal(303);
    expect((await bob.submit(path, `/p/${opening}/react`, { reaction: 'thanks:1' })).status).to.equal(303);
    await settled();
    expect(await rowsOf(hearth, 'alice')).to.have.length(3);
    const page = await alice.get('/notifications');
    expect(page.text).to.contain('2 people said “I hear you” to your post in “Mine”');
    expect(page.text).to.contain('bob said “Thank you” to your post in “Mine”');
    expect(page.text).to.contain('2 unread notifications');
    // taking a reaction back takes its unread notification with it
    expect((await bob.submit(path, `/p/${opening}/react`, { reaction: 'thanks:0' })).status).to.equal(303);
    await settled();
    expect(await rowsOf(hearth, 'alice')).to.have.length(2);

    const off = await alice.submit('/notifications', '/notifications/preferences', { reactions: 'quiet', replies: 'on', mentions: 'on', votes: 'on', meetings: 'on' });
    expect(off.status).to.equal(303);
    expect((await alice.get('/notifications')).text).to.match(/value="quiet" checked/);
    expect((await bob.submit(path, `/p/${opening}/react`, { reaction: 'me_too:1' })).status).to.equal(303);
    await settled();
    expect(await rowsOf(hearth, 'alice')).to.have.length(2);
    // replies, too, can be turned off
    expect((await alice.submit('/notifications', '/notifications/preferences', { reactions: 'quiet', mentions: 'on' })).status).to.equal(303);
    expect((await alice.get('/notifications')).text).not.to.match(/name="replies" checked/);
    expect((await alice.get('/notifications')).text).to.match(/name="mentions" checked/);
    await reply(bob, path, 'A reply nobody is told of.');
    expect(await rowsOf(hearth, 'alice')).to.have.length(2);
  });

  it('keeps notifications for after quiet hours: the count waits for them', async () => {
    // quiet hours 22:00–07:00 UTC; it is 23:00.
    clock.set(new Date('2026-03-02T23:00:00Z'));
    const path = await startThread(alice, 'voices', { title: 'Night', body: 'Awake.' });
    expect((await alice.submit('/settings/break', '/settings/break', { quietFrom: '22:00', quietTo: '07:00', timeZone: 'UTC' })).status).to.equal(303);
    await reply(bob, path, 'Me too.');
    const rows = await rowsOf(hearth, 'alice');
    expect(rows).to.have.length(1);
    expect(rows[0]!.visible_from.toISOString()).to.equal('2026-03-03T07:00:00.000Z');
    const aliceId = (await hearth.services.members.getByHandle('alice')).id;
    expect(await hearth.services.notifications.unreadCount(aliceId)).to.equal(0);
    clock.set(new Date('2026-03-03T07:00:00Z'));
    expect(await hearth.services.notifications.unreadCount(aliceId)).to.equal(1);
    expect((await alice.get('/notifications')).text).to.contain('bob replied in “Night”');
  });

  it('marks items read and unread, all read, and prunes old read ones', async () => {
    const path = await startThread(alice, 'voices', { title: 'Mine', body: 'Hi.' });
    await reply(bob, path, 'One');
    await reply(bob, path, 'Two');
    const [first, second] = await rowsOf(hearth, 'alice');
    expect((await alice.submit('/notifications', `/notifications/${first!.id}/read`, { read: '1' })).status).to.equal(303);
    expect((await alice.get('/notifications')).text).to.contain('1 unread notification');
    expect((await alice.submit('/notifications', `/notifications/${first!.id}/read`, { read: '0' })).status).to.equal(303);
    expect((await alice.get('/notifications')).text).to.contain('2 unread notifications');
    // someone else's notification is not found for bob
    expect((await bob.submit('/notifications', `/notifications/${second!.id}/read`, { read: '1' })).status).to.equal(404);
    expect((await alice.submit('/notifications', '/notifications/read-all', {})).status).to.equal(303);
    const page = await alice.get('/notifications');
    expect(page.text).to.contain('Nothing unread');
    expect(page.text).to.contain('removed after 60 days');

    clock.advance(59 * 86_400_000);
    expect(await hearth.services.notifications.prune()).to.equal(0);
    clock.advance(2 * 86_400_000);
    expect(await hearth.services.notifications.prune()).to.equal(2);
    expect(await rowsOf(hearth, 'alice')).to.have.length(0);
  });

  it('tells nobody outside a members-only circle, and only logged-in members see the page', async () => {
    expect((await new Visitor(hearth).get('/notifications')).status).to.equal(303);
    expect((await steward.submit('/steward/circles/new', '/steward/circles/new', { slug: 'inner', name: 'Inner', purpose: 'x', visibility: 'members' })).status).to.equal(303);
    await watch(bob, '/c/voices', '/c/voices/watch', 'every');
    const stewardId = (await hearth.services.members.getByHandle('river')).id;
    const bobId = (await hearth.services.members.getByHandle('bob')).id;
    const inner = await hearth.services.circles.get('inner', undefined).catch(() => undefined);
    expect(inner).to.equal(undefined);
    // bob watches every post of the members-only circle by a row of his own, then is not a member.
    const circle = (await hearth.db.query<{ id: number }>("SELECT id FROM circles WHERE slug = 'inner'"))[0]!;
    await hearth.db.query("INSERT INTO circle_watches (member_id, circle_id, level, updated_at) VALUES ($1, $2, 'every', now())", [bobId, circle.id]);
    await startThread(steward, 'inner', { title: 'Private', body: 'Hi.' });
    await settled();
    expect(await rowsOf(hearth, 'bob')).to.have.length(0);
    expect(stewardId).to.be.a('number');
  });
});
