import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { MAIL_RETRY_DELAYS_MS } from '../../../src/domain/mail/mail-channel.js';
import type { NotificationKind } from '../../../src/domain/notifications/notification.js';
import { NOTIFICATION_KINDS } from '../../../src/domain/notifications/notification.js';
import { mailChoiceField } from '../../../src/domain/mail/mail-service.js';
import { insertNotification } from '../../../src/storage/repositories/notification-repository.js';
import { linkIn, MailCatcher, rawHeader, TEST_ORIGIN as ORIGIN } from '../../helpers/mail-catcher.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function memberId(hearth: Hearth, handle: string): Promise<number> {
  const rows = await hearth.db.query<{ id: number }>('SELECT id FROM members WHERE handle = $1', [handle]);
  return rows[0]!.id;
}

describe('e-mail, when the group wants it', function () {
  let catcher: MailCatcher;
  let hearth: Hearth;
  let clock: ManualClock;
  let steward: Visitor;

  beforeEach(async () => {
    catcher = new MailCatcher();
    await catcher.start();
    // A Monday morning, 10:00 UTC (the instance's zone).
    clock = new ManualClock(new Date('2026-01-05T10:00:00Z'));
    hearth = await freshHearth({ clock, env: { SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, MAIL_FROM: 'Test Hearth <hearth@example.org>' } });
    steward = await withSteward(hearth);
  });
  afterEach(async () => {
    await hearth.close();
    await catcher.stop();
  });

  const deliver = () => hearth.channels[0]!.deliverDue();

  async function addAddress(v: Visitor, address: string) {
    const res = await v.submit('/settings/mail', '/settings/mail/address', { address });
    expect(res.status, res.text).to.equal(303);
    return catcher.to(address).at(-1)!;
  }

  /** A member whose address is checked. */
  async function verifiedMember(handle: string, address = `${handle}@example.org`) {
    const v = await memberVisitor(hearth, handle);
    const mail = await addAddress(v, address);
    const verified = await v.get(linkIn(mail, '/mail/verify?token='));
    expect(verified.status).to.equal(200);
    expect((await v.get('/settings/mail')).text).to.match(new RegExp(`Mail goes to <strong>${address}</strong> \\(checked \\d{1,2} [A-Z][a-z]{2} \\d{4}, \\d{2}:\\d{2} UTC\\)\\.`));
    catcher.clear();
    return { v, id: await memberId(hearth, handle), address };
  }

  async function choose(v: Visitor, choices: Partial<Record<NotificationKind, string>>, includePrivateText = false) {
    const fields: Record<string, string> = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [mailChoiceField(k), choices[k] ?? 'none']));
    if (includePrivateText) fields.includePrivateText = 'on';
    const res = await v.submit('/settings/mail', '/settings/mail/choices', fields);
    expect(res.status, res.text).to.equal(303);
  }

  const notify = (memberId: number, kind: NotificationKind, extra: Record<string, number> = {}, visibleFrom = clock.now()) =>
    insertNotification(hearth.db, { memberId, kind, link: '/notifications', ...extra }, visibleFrom);

  it('checks a new address with a one-time link before any mail goes to it', async () => {
    const v = await memberVisitor(hearth, 'ash');
    const id = await memberId(hearth, 'ash');
    await choose(v, { reply: 'now' });
    const check = await addAddress(v, 'ash@example.org');
    expect(check.subject).to.include('Check your address');
    expect(check.from?.text).to.include('hearth@example.org');
    const page = await v.get('/settings/mail');
    expect(page.text).to.include('We sent a link to');

    await notify(id, 'reply');
    expect(await deliver()).to.equal(0);
    expect(catcher.to('ash@example.org')).to.have.length(1); // only the link

    const link = linkIn(check, '/mail/verify?token=');
    const opened = await new Visitor(hearth).get(link);
    expect(opened.status).to.equal(200);
    expect(opened.text).to.include('mail can go to this address now');
    expect((await v.get('/settings/mail')).text).to.include('Mail goes to <strong>ash@example.org</strong>');
    expect((await v.get(link)).status, 'a link works once').to.equal(410);
    expect((await new Visitor(hearth).get(link)).status, 'not from the visitors’ page cache either').to.equal(410);

    await notify(id, 'reply');
    expect(await deliver()).to.equal(1);

    // Changing the address unchecks it: nothing goes to the new one until its link is opened.
    await addAddress(v, 'ash@elsewhere.example');
    await notify(id, 'reply');
    expect(await deliver()).to.equal(0);
  });

  it('sends a notification right away: what happened, an absolute link, one-click unsubscribe headers, text and HTML', async () => {
    await openCircle(steward, 'voices');
    const { v, id } = await verifiedMember('ash');
    await choose(v, { reply: 'now', mention: 'daily' });
    const threadPath = await startThread(steward, 'voices', { title: 'Evenings', body: 'What helps in the **evenings**?' });
    const threadId = Number(threadPath.split('/').at(-1));
    const post = await hearth.db.query<{ id: number; circle_id: number }>('SELECT p.id, t.circle_id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.thread_id = $1', [threadId]);
    await insertNotification(
      hearth.db,
      { memberId: id, kind: 'reply', actorMemberId: await memberId(hearth, 'river'), circleId: post[0]!.circle_id, threadId, postId: post[0]!.id, link: `${threadPath}#post-${post[0]!.id}` },
      clock.now(),
    );
    // Two workers running the job at once: one message.
    const counts = await Promise.all([deliver(), deliver()]);
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(1);
    expect(await deliver(), 'each notification is mailed once').to.equal(0);
    expect(catcher.to('ash@example.org')).to.have.length(1);
    const [mail] = catcher.to('ash@example.org');
    expect(mail!.subject).to.include('@river replied in “Evenings”');
    expect(mail!.text).to.include(`${ORIGIN}${threadPath}#post-${post[0]!.id}`);
    expect(mail!.text, 'a public post may be quoted briefly').to.include('What helps in the evenings?');
    expect(mail!.html).to.include(`href="${ORIGIN}${threadPath}#post-${post[0]!.id}"`);
    const unsubscribe = rawHeader(mail!, 'List-Unsubscribe');
    expect(unsubscribe).to.match(new RegExp(`^<${ORIGIN}/mail/unsubscribe\\?token=[^>]+>$`));
    expect(rawHeader(mail!, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
  });

  it('collects daily and weekly digests at the member’s morning', async () => {
    const { v, id } = await verifiedMember('ash');
    await choose(v, { reply: 'daily', 'vote.opened': 'weekly' });
    await notify(id, 'reply');
    await notify(id, 'reply');
    await notify(id, 'vote.opened');
    expect(await deliver(), 'Monday 10:00: not yet').to.equal(0);

    clock.set(new Date('2026-01-06T06:59:00Z'));
    expect(await deliver(), 'Tuesday before 7').to.equal(0);
    clock.set(new Date('2026-01-06T07:01:00Z'));
    expect(await deliver()).to.equal(1);
    const daily = catcher.to('ash@example.org');
    expect(daily).to.have.length(1);
    expect(daily[0]!.subject).to.include('What happened today');
    expect(daily[0]!.text).to.include('2 things');

    clock.set(new Date('2026-01-11T20:00:00Z'));
    expect(await deliver(), 'Sunday: the weekly digest waits for Monday').to.equal(0);
    clock.set(new Date('2026-01-12T07:30:00Z'));
    expect(await deliver()).to.equal(1);
    const weekly = catcher.to('ash@example.org')[1]!;
    expect(weekly.subject).to.include('What happened this week');
    expect(weekly.text).to.include('A vote on a proposal opened');
    expect(await deliver()).to.equal(0);
  });

  it('digests follow the member’s own time zone', async () => {
    const { v, id } = await verifiedMember('ash');
    await hearth.db.query("UPDATE members SET time_zone = 'America/New_York' WHERE id = $1", [id]);
    await choose(v, { reply: 'daily' });
    await notify(id, 'reply');
    clock.set(new Date('2026-01-05T11:30:00Z')); // Monday 06:30 in New York, 11:30 in UTC
    expect(await deliver()).to.equal(0);
    clock.set(new Date('2026-01-05T12:05:00Z')); // 07:05 in New York
    expect(await deliver()).to.equal(1);
  });

  it('waits for quiet hours and breaks: nothing is mailed before a notification is visible', async () => {
    const { v, id } = await verifiedMember('ash');
    await choose(v, { mention: 'now' });
    await notify(id, 'mention', {}, new Date(clock.now().getTime() + 8 * HOUR));
    expect(await deliver()).to.equal(0);
    clock.advance(7 * HOUR);
    expect(await deliver()).to.equal(0);
    clock.advance(HOUR + 60_000);
    expect(await deliver()).to.equal(1);
    expect(catcher.to('ash@example.org')[0]!.subject).to.include('mentioned you');
  });

  it('leaves out text from members-only circles unless the member opts in, and says why', async () => {
    await openCircle(steward, 'quiet', 'Quiet room', 'members');
    const { v, id } = await verifiedMember('ash');
    await admitToCircle(steward, v, 'quiet');
    await choose(v, { reply: 'now' });
    const threadPath = await startThread(steward, 'quiet', { title: 'Private title here', body: 'Words that stay in the circle' });
    const threadId = Number(threadPath.split('/').at(-1));
    const [post] = await hearth.db.query<{ id: number; circle_id: number }>('SELECT p.id, t.circle_id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.thread_id = $1', [threadId]);
    const about = { circleId: post!.circle_id, threadId, postId: post!.id, actorMemberId: await memberId(hearth, 'river') };
    await notify(id, 'reply', about);
    expect(await deliver()).to.equal(1);
    const [plain] = catcher.to('ash@example.org');
    for (const part of [plain!.text ?? '', plain!.html || '', plain!.subject ?? '']) {
      expect(part).not.to.include('Words that stay');
      expect(part).not.to.include('Private title here');
    }
    expect(plain!.subject).to.include('@river replied in a thread in Quiet room');
    expect(plain!.text).to.include('mail providers can read mail');

    await choose(v, { reply: 'now' }, true);
    // A member is told once per post: the next reply is another post.
    const replied = await steward.submit(threadPath, `${threadPath}/reply`, { body: 'More words that stay in the circle', contentWarning: '' });
    expect(replied.status).to.equal(303);
    const replyId = Number(/#post-(\d+)$/.exec(replied.headers.location as string)![1]);
    await notify(id, 'reply', { ...about, postId: replyId });
    expect(await deliver()).to.equal(1);
    const opted = catcher.to('ash@example.org')[1]!;
    expect(opted.text).to.include('More words that stay in the circle');
    expect(opted.subject).to.include('Private title here');
  });

  it('unsubscribes with one click (a POST without cookies or form token) and with a confirmation page', async () => {
    const { v, id } = await verifiedMember('ash');
    await choose(v, { reply: 'now', mention: 'now', 'thread.new': 'daily' });
    await notify(id, 'reply');
    await deliver();
    const header = rawHeader(catcher.to('ash@example.org')[0]!, 'List-Unsubscribe');
    const path = header.slice(ORIGIN.length + 1, -1);

    const oneClick = await supertest(hearth.app).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).to.equal(200);
    expect(oneClick.headers['set-cookie']).to.equal(undefined);
    const settings = await v.get('/settings/mail');
    expect(settings.text).to.match(/id="mail_reply" name="mail_reply">\s*<option value="none" selected>/);
    expect(settings.text).to.match(/<option value="now" selected>Right away/); // mentions stay on

    await notify(id, 'reply');
    expect(await deliver()).to.equal(0);

    // A visitor (say, the mail program's preview) opening the link only sees a page with a button.
    await notify(id, 'mention');
    await deliver();
    const mentionHeader = rawHeader(catcher.to('ash@example.org')[1]!, 'List-Unsubscribe');
    const page = await supertest(hearth.app).get(mentionHeader.slice(ORIGIN.length + 1, -1));
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Stop mail about “Someone mentions you”');
    expect((await v.get('/settings/mail')).text).to.match(/<option value="now" selected>Right away/);
    expect(page.text).to.include('Stop all mail from Hearth');
    const stopAll = [...page.text.matchAll(/action="(\/mail\/unsubscribe\?token=[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(stopAll).to.have.length(2);
    const all = await supertest(hearth.app).post(stopAll[1]!).type('form').send({ 'List-Unsubscribe': 'One-Click' });
    expect(all.status).to.equal(200);
    expect(all.text, all.text).to.include('all mail from Hearth won’t be sent any more');
    expect((await v.get('/settings/mail')).text).not.to.match(/<option value="(now|daily|weekly)" selected>/);

    const forged = await supertest(hearth.app).post('/mail/unsubscribe?token=MXxhbGw.forged').type('form').send('List-Unsubscribe=One-Click');
    expect(forged.status).to.equal(404);
  });

  it('retries a failing address with backoff, then gives up visibly (member’s settings, stewards’ Health page)', async () => {
    const { v, id } = await verifiedMember('ash');
    await choose(v, { reply: 'now' });
    await notify(id, 'reply');
    catcher.refusing = true;
    expect(await deliver()).to.equal(0);
    for (const delay of MAIL_RETRY_DELAYS_MS) {
      expect(await deliver(), 'not before the wait is over').to.equal(0);
      const [row] = await hearth.db.query<{ given_up_at: Date | null }>('SELECT given_up_at FROM mail_deliveries');
      expect(row!.given_up_at).to.equal(null);
      clock.advance(delay + 1000);
      await deliver();
    }
    const [row] = await hearth.db.query<{ attempts: number; given_up_at: Date | null; last_error: string }>('SELECT attempts, given_up_at, last_error FROM mail_deliveries');
    expect(row!.attempts).to.equal(MAIL_RETRY_DELAYS_MS.length + 1);
    expect(row!.given_up_at).to.not.equal(null);
    expect(row!.last_error).to.include('Mailbox unavailable');

    const settings = await v.get('/settings/mail');
    expect(settings.text).to.include('Mail to this address stopped working on');
    expect(settings.text).to.match(/Mail to this address stopped working on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\. The mail server said:/);
    const health = await steward.get('/steward/health');
    expect(health.text).to.match(/Addresses mail stopped working for<\/dt><dd>1<\/dd>/);

    // Nothing more is tried until the member starts it again.
    catcher.refusing = false;
    await notify(id, 'reply');
    expect(await deliver()).to.equal(0);
    const restart = await v.submit('/settings/mail', '/settings/mail/restart', {});
    expect(restart.status).to.equal(303);
    await notify(id, 'reply');
    expect(await deliver()).to.equal(1);
  });

  it('"forgot my password" mails a one-hour reset link, with the same answer for unknown handles', async () => {
    await verifiedMember('ash');
    const visitor = new Visitor(hearth);
    expect((await visitor.get('/login')).text).to.include('href="/login/forgot"');

    const known = await visitor.submit('/login/forgot', '/login/forgot', { handle: 'ash' });
    const unknown = await visitor.submit('/login/forgot', '/login/forgot', { handle: 'nobody-here' });
    expect(known.status).to.equal(303);
    expect(unknown.status).to.equal(303);
    expect(unknown.headers.location).to.equal(known.headers.location);
    const sent = await visitor.get(known.headers.location as string);
    expect(sent.text).to.include('If that handle has a checked e-mail address here');
    await hearth.services.mail!.idle();
    expect(catcher.messages).to.have.length(1);
    const mail = catcher.to('ash@example.org')[0]!;
    expect(mail.text).to.include('within the next hour');
    const link = linkIn(mail, '/login/reset?token=');

    // Asking again at once sends nothing more.
    await visitor.submit('/login/forgot', '/login/forgot', { handle: 'ash' });
    await hearth.services.mail!.idle();
    expect(catcher.messages).to.have.length(1);

    expect((await visitor.get(link)).status).to.equal(200);
    const reset = await visitor.submit(link, '/login/reset', { token: new URL(link, ORIGIN).searchParams.get('token')!, password: 'a brand new password' });
    expect(reset.status).to.equal(303);
    const login = await new Visitor(hearth).login('ash', 'a brand new password');
    expect(login.status).to.equal(303);
    expect((await visitor.get(link)).status, 'used once').to.equal(410);

    // A second link, not used within the hour, stops working.
    clock.advance(10 * 60_000);
    await visitor.submit('/login/forgot', '/login/forgot', { handle: 'ash' });
    await hearth.services.mail!.idle();
    const second = linkIn(catcher.to('ash@example.org')[1]!, '/login/reset?token=');
    clock.advance(HOUR + 60_000);
    expect((await visitor.get(second)).status).to.equal(410);
  });
});

describe('e-mail, when nobody set it up', () => {
  let hearth: Hearth;
  beforeEach(async () => {
    hearth = await freshHearth();
  });
  afterEach(async () => {
    await hearth.close();
  });

  it('sends nothing and shows no mail settings or "forgot my password" link', async () => {
    await withSteward(hearth);
    const v = await memberVisitor(hearth, 'ash');
    expect(hearth.channels).to.deep.equal([]);
    expect(hearth.services.mail).to.equal(undefined);
    const profile = await v.get('/settings/profile');
    expect(profile.text).to.include('Mail from Hearth isn’t set up here');
    expect(profile.text).not.to.include('href="/settings/mail"');
    expect((await v.get('/settings/mail')).status).to.equal(404);
    const visitor = new Visitor(hearth);
    expect((await visitor.get('/login')).text).not.to.include('/login/forgot');
    expect((await visitor.get('/login/forgot')).status).to.equal(404);
    expect((await supertest(hearth.app).post('/mail/unsubscribe?token=x').type('form').send('List-Unsubscribe=One-Click')).status).to.equal(403);
  });
});
