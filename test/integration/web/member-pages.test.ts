import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, memberVisitor, openCircle, postWith, saveSettings, startThread, threadRowOf, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** Every CSRF token in a page's forms. */
function tokensIn(html: string): string[] {
  return [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Members' thread pages are sent from pieces kept for every member who sees
 * a post alike (fragment-cache.ts): what each member sees must stay theirs,
 * and a change must show at once, however often the page was read before.
 */
describe('members’ thread and circle pages sent from kept pieces (HTTP)', () => {
  let clock: ManualClock;
  let hearth: Hearth;
  let steward: Visitor;
  let alice: Visitor;
  let bob: Visitor;
  let carol: Visitor;
  let dawn: Visitor;
  let path: string;
  beforeEach(async () => {
    clock = new ManualClock(new Date(Date.now() + 60_000));
    hearth = await freshHearth({ clock });
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
    carol = await memberVisitor(hearth, 'carol');
    dawn = await memberVisitor(hearth, 'dawn');
    path = await startThread(alice, 'voices', { title: 'Evenings', body: 'Evenings are the hardest part.' });
    expect((await bob.submit(path, `${path}/reply`, { body: 'The kettle helps me with evenings.', contentWarning: '' })).status).to.equal(303);
  });
  afterEach(() => hearth.close());

  it('shows each member their own view of the same posts, read again and again', async () => {
    expect((await saveSettings(carol, { mutedWords: 'kettle' })).status).to.equal(303);
    expect((await dawn.submit('/moderation', '/moderation/blocks', { handle: 'bob' })).status).to.equal(303);
    // Everyone reads twice: the second time the posts come from the kept pieces.
    for (let round = 0; round < 2; round++) {
      const pages = Object.fromEntries(
        await Promise.all(([['alice', alice], ['bob', bob], ['carol', carol], ['dawn', dawn], ['river', steward]] as const).map(async ([h, v]) => [h, (await v.get(path)).text] as const)),
      );
      // Alice wrote the opening post: she may edit it, and not Bob's reply.
      expect(postWith(pages.alice!, 'Evenings are the hardest')).to.contain('/edit">Edit');
      expect(postWith(pages.alice!, 'The kettle helps')).not.to.contain('/edit">Edit');
      expect(postWith(pages.alice!, 'The kettle helps')).to.contain('>Report</a>');
      // Bob may edit his reply, and not Alice's post; he can't report his own.
      expect(postWith(pages.bob!, 'The kettle helps')).to.contain('/edit">Edit');
      expect(postWith(pages.bob!, 'The kettle helps')).not.to.contain('>Report</a>');
      expect(postWith(pages.bob!, 'Evenings are the hardest')).not.to.contain('/edit">Edit');
      // Carol muted "kettle": Bob's reply is folded for her, saying why; nobody else's is.
      expect(postWith(pages.carol!, 'The kettle helps')).to.contain('class="muted-fold"').and.to.contain('kettle');
      expect(postWith(pages.alice!, 'The kettle helps')).not.to.contain('class="muted-fold"');
      // Dawn blocked Bob: his reply is folded for her as someone she blocked.
      expect(postWith(pages.dawn!, 'The kettle helps')).to.contain('class="muted-fold"');
      expect(postWith(pages.dawn!, 'The kettle helps')).not.to.equal(postWith(pages.carol!, 'The kettle helps'));
      // The steward founded the circle and moderates it: "Moderate" under each post, for them only.
      expect(postWith(pages.river!, 'The kettle helps')).to.contain('/moderation/act?post=');
      expect(postWith(pages.bob!, 'Evenings are the hardest')).not.to.contain('/moderation/act?post=');
    }
  });

  it('puts each member’s own form token in every form, and their reactions work', async () => {
    // Alice's reading keeps the pieces first; Carol's page is then made from them.
    await alice.get(path);
    const alicePage = (await alice.get(path)).text;
    const carolPage = (await carol.get(path)).text;
    const aliceTokens = new Set(tokensIn(alicePage));
    const carolTokens = new Set(tokensIn(carolPage));
    expect(aliceTokens.size).to.equal(1);
    expect(carolTokens.size).to.equal(1);
    expect([...carolTokens][0]).not.to.equal([...aliceTokens][0]);
    // Carol's reaction form under Bob's reply carries her token and is accepted.
    const form = /<form method="post" action="(\/p\/\d+\/react)"[^]*?name="_csrf" value="([^"]+)"/.exec(postWith(carolPage, 'The kettle helps'))!;
    expect(form[2]).to.equal([...carolTokens][0]);
    const sent = await carol.agent.post(form[1]!).type('form').set('Accept', 'text/html').send({ reaction: 'hear:1', _csrf: form[2]! });
    expect(sent.status).to.equal(303);
    // Carol sees the button pressed; Alice sees the count, not pressed.
    const carolAfter = postWith((await carol.get(path)).text, 'The kettle helps');
    expect(carolAfter).to.contain('value="hear:0" class="reaction given" aria-pressed="true">I hear you · 1<');
    const aliceAfter = postWith((await alice.get(path)).text, 'The kettle helps');
    expect(aliceAfter).to.contain('value="hear:1" class="reaction" aria-pressed="false">I hear you · 1<');
  });

  it('shows an edit and its new content warning at once to members who read the page before', async () => {
    for (const v of [carol, dawn]) await v.get(path);
    const [, bobsPostId] = /id="post-(\d+)"/.exec(postWith((await carol.get(path)).text, 'The kettle helps'))!;
    // Bob edits his reply: words of the same length, nothing else changed.
    const edit = `/p/${bobsPostId}/edit`;
    const same = 'The teapot helps me with evenings.';
    expect(same.length).to.equal('The kettle helps me with evenings.'.length);
    expect((await bob.submit(edit, edit, { body: same, contentWarning: '', language: 'en' })).status).to.equal(303);
    for (const v of [carol, dawn]) {
      const page = (await v.get(path)).text;
      expect(page).to.contain(same);
      expect(page).not.to.contain('The kettle helps');
    }
    // Then he adds a content warning.
    expect((await bob.submit(edit, edit, { body: same, contentWarning: 'routines', language: 'en' })).status).to.equal(303);
    expect(postWith((await carol.get(path)).text, same)).to.contain('routines');
  });

  it('shows each member their own unread marks in a circle, and new replies and passing time to all', async () => {
    // Alice started the thread and Bob replied: Alice has his reply unread, Bob has nothing new.
    const aliceRow = () => alice.get('/c/voices').then((r) => threadRowOf(r.text, 'Evenings'));
    const bobRow = () => bob.get('/c/voices').then((r) => threadRowOf(r.text, 'Evenings'));
    for (let round = 0; round < 2; round++) {
      expect(await aliceRow()).to.contain('is-unread').and.to.contain('1 reply');
      expect(await bobRow()).not.to.contain('is-unread');
      expect(await bobRow()).to.contain('1 reply');
    }
    // Alice reads the thread: her mark goes, Bob's row is as it was.
    await alice.get(path);
    expect(await aliceRow()).not.to.contain('is-unread');
    // Carol replies: both see two replies, and Bob (who has not read it) sees it new.
    expect((await carol.submit(path, `${path}/reply`, { body: 'Lamps on early.', contentWarning: '' })).status).to.equal(303);
    expect(await aliceRow()).to.contain('2 replies').and.to.contain('is-unread');
    expect(await bobRow()).to.contain('2 replies').and.to.contain('is-unread');
    expect(await bobRow()).to.match(/Took part: [^<]*carol/);
    // Time passes with nothing posted: the words say so.
    clock.advance(3 * 3_600_000);
    expect(await aliceRow()).to.contain('>3 hours ago</time>');
    expect(await bobRow()).to.contain('>3 hours ago</time>');
  });
});
