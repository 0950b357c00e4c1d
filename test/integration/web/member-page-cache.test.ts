import { expect } from 'chai';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, postWith, settled, startThread, threadRowOf, Visitor, withSteward } from '../../helpers/test-hearth.js';

const KEPT = 'x-hearth-cache';

/** The navigation's count of new notifications ("3"), or undefined when nothing is new. */
function unreadInNav(html: string): string | undefined {
  return /<span class="nav-count" aria-hidden="true">([^<]+)</.exec(html)?.[1];
}

/** Reads `path` until the member's page comes from memory. */
async function readUntilKept(v: Visitor, path: string) {
  for (let i = 0; i < 3; i++) {
    const res = await v.get(path);
    if (res.headers[KEPT] === 'hit') return res;
  }
  throw new Error(`${path} was never sent from memory`);
}

/**
 * A member's own thread and circle pages are kept briefly for their next
 * visit (member-pages.ts): the kept page must be theirs alone, and whatever
 * changes what they would see (made by anyone, through any path, including
 * a change this process hears of only through the database) must show at once.
 */
describe('a member’s own pages kept for their next visit (HTTP)', () => {
  let clock: ManualClock;
  let hearth: Hearth;
  let steward: Visitor;
  let alice: Visitor;
  let bob: Visitor;
  let path: string;
  beforeEach(async () => {
    clock = new ManualClock(new Date(Date.now() + 60_000));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'evenings', 'Evenings');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
    path = await startThread(alice, 'voices', { title: 'Kettles', body: 'The kettle helps me.' });
    expect((await bob.submit(path, `${path}/reply`, { body: 'Tea at nine, every night.', contentWarning: '' })).status).to.equal(303);
  });
  afterEach(() => hearth.close());

  it('sends the same page again to the same member only, private, and renders on a hard reload', async () => {
    // Her first reading renders the page and moves her read mark (her own change): the second is sent from memory.
    const rendered = await alice.get(path);
    expect(rendered.headers[KEPT]).to.equal(undefined);
    const kept = await alice.get(path);
    expect(kept.headers[KEPT]).to.equal('hit');
    expect(kept.status).to.equal(200);
    expect(kept.headers['cache-control']).to.equal('private, no-store');
    expect(kept.headers['content-type']).to.match(/^text\/html/);
    // The same security headers as the page rendered for her.
    for (const header of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'permissions-policy', 'x-frame-options', 'vary', 'content-type']) {
      expect(kept.headers[header], header).to.equal(rendered.headers[header]);
    }
    expect(kept.text).to.contain('Tea at nine').and.to.contain('alice');
    // The same forms with Alice's own token.
    const token = /name="_csrf" value="([^"]+)"/.exec(rendered.text)![1];
    expect(kept.text).to.contain(`name="_csrf" value="${token}"`);
    // Bob's first look is his own page, rendered for him.
    const bobs = await bob.get(path);
    expect(bobs.headers[KEPT]).to.equal(undefined);
    expect(bobs.text).not.to.contain(token);
    expect(postWith(bobs.text, 'Tea at nine')).to.contain('/edit">Edit');
    expect(postWith(kept.text, 'Tea at nine')).not.to.contain('/edit">Edit');
    // A hard reload renders afresh; a visitor never gets a member's page.
    expect((await alice.get(path).set('Cache-Control', 'no-cache')).headers[KEPT]).to.equal(undefined);
    const visitor = await supertest(hearth.app).get(path).set('Accept', 'text/html');
    expect(visitor.text).not.to.contain(token);
    expect(visitor.text).not.to.contain('/logout');
  });

  it('is not sent once the member has logged out, even to their old cookie', async () => {
    // The session's cookie as the browser holds it (sent again with each rendered page).
    const setCookie = ((await alice.get(path)).headers['set-cookie'] as unknown as string[] | undefined) ?? [];
    const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('hearth.sid='));
    expect(cookie).to.be.a('string');
    await readUntilKept(alice, path);
    expect((await alice.logout()).status).to.equal(303);
    const old = await supertest(hearth.app).get(path).set('Accept', 'text/html').set('Cookie', cookie!);
    expect(old.headers[KEPT]).to.equal(undefined);
    expect(old.text).not.to.contain('/logout');
  });

  it('shows a block made outside any request at once, to both members', async () => {
    await readUntilKept(alice, path);
    await readUntilKept(bob, path);
    // As another process would: through the service, with no request here to drop anything.
    const bobMember = await hearth.services.members.getByHandle('bob');
    await hearth.services.moderation.safety.block(bobMember, 'alice');
    // Bob's reply is no longer shown to Alice; Bob sees her post folded as from someone he blocked.
    const alicePage = await alice.get(path);
    expect(alicePage.headers[KEPT]).to.equal(undefined);
    expect(alicePage.text).not.to.contain('Tea at nine');
    const bobPage = await bob.get(path);
    expect(bobPage.headers[KEPT]).to.equal(undefined);
    expect(postWith(bobPage.text, 'The kettle helps')).to.contain('class="muted-fold"');
  });

  it('shows the notifications count as it is, whatever changed it', async () => {
    // Bob's reply is new for Alice: her circle page (another circle) says so, and is kept.
    await settled();
    const other = '/c/evenings';
    await alice.get(other);
    const before = await readUntilKept(alice, other);
    expect(unreadInNav(before.text)).to.equal('1');
    // Bob replies again in Alice's thread: nothing of the Evenings circle changed, only her count.
    expect((await bob.submit(path, `${path}/reply`, { body: 'And a warm bath.', contentWarning: '' })).status).to.equal(303);
    await settled();
    expect(unreadInNav((await alice.get(other)).text)).to.equal('2');
    await readUntilKept(alice, other);
    // She reads them all elsewhere (as through another process): the count goes.
    await hearth.services.notifications.markAllRead(await hearth.services.members.getByHandle('alice'));
    const after = await alice.get(other);
    expect(after.headers[KEPT]).to.equal(undefined);
    expect(unreadInNav(after.text)).to.equal(undefined);
  });

  it('shows a reply made through a service, and the words of passing time', async () => {
    await readUntilKept(alice, path);
    const bobMember = await hearth.services.members.getByHandle('bob');
    await hearth.services.threads.reply(bobMember, Number(path.split('/').pop()), { body: 'Lavender, too.' });
    expect((await alice.get(path)).text).to.contain('Lavender, too.');
    // The circle page's "last active" words: kept while they hold, new ones once time has passed.
    const row = async () => threadRowOf((await alice.get('/c/voices')).text, 'Kettles');
    await row();
    await readUntilKept(alice, '/c/voices');
    clock.advance(2 * 3_600_000);
    expect(await row()).to.contain('>2 hours ago</time>');
  });
});
