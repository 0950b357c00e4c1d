import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** Who post_mentions says a post mentions: members' handles and remote actors' IRIs. */
async function mentionsOf(hearth: Hearth, postId: number): Promise<string[]> {
  const rows = await hearth.db.query<{ who: string }>(
    `SELECT coalesce(m.handle, pm.remote_actor_iri) AS who FROM post_mentions pm LEFT JOIN members m ON m.id = pm.member_id WHERE pm.post_id = $1 ORDER BY 1`,
    [postId],
  );
  return rows.map((r) => r.who);
}

async function lastPostId(hearth: Hearth): Promise<number> {
  return (await hearth.db.query<{ id: number }>('SELECT max(id) AS id FROM posts'))[0]!.id;
}

describe('@mentions of members (HTTP)', () => {
  let hearth: Hearth;
  let steward: Visitor;
  let alice: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
  });
  afterEach(() => hearth.close());

  it('links a mentioned member to their page and records the mention; unknown handles, code and e-mail addresses stay text', async () => {
    await memberVisitor(hearth, 'bob');
    const path = await startThread(alice, 'voices', {
      title: 'Thank you',
      body: 'Thanks @bob and @Bob, and @nobody_here.\n\nWrite to willow@example.org, or type `@bob` to mention.',
    });
    const page = await new Visitor(hearth).get(path);
    const mentionLinks = page.text.match(/<a [^>]*class="u-url mention"[^>]*>[^<]*<\/a>/g) ?? [];
    expect(mentionLinks).to.have.length(2);
    expect(mentionLinks[0]).to.contain('href="http://localhost:3000/u/bob"').and.contain('>@bob</a>').and.contain('rel="nofollow noopener ugc"');
    expect(page.text).to.contain('@nobody_here.');
    expect(page.text).to.contain('<code>@bob</code>');
    expect(page.text).to.contain('href="mailto:willow@example.org"');
    expect(await mentionsOf(hearth, await lastPostId(hearth))).to.deep.equal(['bob']);
  });

  it('records mentions in replies, and on an edit adds the new ones and keeps the old (telling only of the new ones)', async () => {
    const bobId = (await memberVisitor(hearth, 'bob'), (await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'bob'"))[0]!.id);
    const cedarId = (await memberVisitor(hearth, 'cedar'), (await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'cedar'"))[0]!.id);
    const aliceId = (await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'"))[0]!.id;
    const told: Array<{ postId: number; memberIds: number[] }> = [];
    hearth.services.mentions.onMentioned(async (_tx, added) => {
      told.push({ postId: added.postId, memberIds: added.memberIds });
    });
    const path = await startThread(alice, 'voices', { title: 'A hard week', body: 'It was loud.' });
    const reply = await steward.submit(path, `${path}/reply`, { body: 'I hear you, @alice. @bob knows this too.', contentWarning: '' });
    expect(reply.status).to.equal(303);
    const replyId = Number(/#post-(\d+)$/.exec(reply.headers.location as string)![1]);
    expect(await mentionsOf(hearth, replyId)).to.deep.equal(['alice', 'bob']);

    const edited = await steward.submit(`/p/${replyId}/edit`, `/p/${replyId}/edit`, { body: 'I hear you, @alice. And @cedar.', contentWarning: '' });
    expect(edited.status).to.equal(303);
    expect(await mentionsOf(hearth, replyId)).to.deep.equal(['alice', 'bob', 'cedar']);
    expect(told).to.deep.equal([
      { postId: replyId, memberIds: [aliceId, bobId].sort((x, y) => x - y) },
      { postId: replyId, memberIds: [cedarId] },
    ]);
    // Each person mentioned is told once, in the transaction that recorded the mention: the edit tells only Cedar.
    const notes = await hearth.db.query<{ member_id: number; kind: string }>('SELECT member_id, kind FROM notifications WHERE post_id = $1 ORDER BY member_id', [replyId]);
    expect(notes).to.deep.equal(
      [
        { member_id: aliceId, kind: 'mention' },
        { member_id: bobId, kind: 'mention' },
        { member_id: cedarId, kind: 'mention' },
      ].sort((x, y) => x.member_id - y.member_id),
    );
    const page = await new Visitor(hearth).get(path);
    expect(page.text).to.contain('href="http://localhost:3000/u/cedar"');
  });

  it('in a members-only circle, links members but leaves people elsewhere as text (nothing leaves the instance)', async () => {
    await openCircle(steward, 'quiet', 'Quiet room', 'members');
    await admitToCircle(steward, alice, 'quiet');
    const path = await startThread(alice, 'quiet', { title: 'Hello', body: 'Hi @river and @bob@mastodon.example' });
    const page = await steward.get(path);
    expect(page.text).to.contain('href="http://localhost:3000/u/river"');
    expect(page.text).to.contain('@bob@mastodon.example');
    expect(page.text).to.not.contain('mailto:bob@mastodon.example');
    expect(await mentionsOf(hearth, await lastPostId(hearth))).to.deep.equal(['river']);
  });
});
