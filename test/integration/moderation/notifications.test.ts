import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { admitToCircle, freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';
import { idFrom, moderatedCircle } from './moderation-helpers.js';

const DAY = 86_400_000;

async function kindsOf(hearth: Hearth, handle: string): Promise<string[]> {
  const rows = await hearth.db.query<{ kind: string }>('SELECT n.kind FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.handle = $1 ORDER BY n.id', [handle]);
  return rows.map((r) => r.kind);
}

async function linkOf(hearth: Hearth, handle: string, kind: string): Promise<string> {
  const rows = await hearth.db.query<{ link: string }>('SELECT n.link FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.handle = $1 AND n.kind = $2 ORDER BY n.id DESC', [handle, kind]);
  return rows[0]!.link;
}

describe('notifications from moderation and governance (HTTP)', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
  });
  afterEach(() => hearth.close());

  it('tells a member of an action about them (the log entry, how to appeal), the panel of their appeal, and its decision', async () => {
    const cast = await moderatedCircle(hearth, clock.now(), ['fern', 'gale']);
    const p = (h: string) => cast.people[h]!;
    const hid = await p('ash').submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', {
      kind: 'hide_post',
      post: String(cast.postId),
      agreement: 'Circle agreement 5 (version 1): No harassment.',
      reason: 'Reads as a threat; hiding while we talk.',
    });
    expect(hid.status).to.equal(303);
    expect(await kindsOf(hearth, 'dawn')).to.deep.equal(['moderation.about_me']);
    const link = await linkOf(hearth, 'dawn', 'moderation.about_me');
    expect(link).to.match(/^\/c\/voices\/log#log-\d+$/);
    expect((await new Visitor(hearth).get('/c/voices/log')).text).to.contain(`id="${link.split('#')[1]}"`);
    const page = await p('dawn').get('/notifications');
    expect(page.text).to.contain('Moderators in Hearing voices took an action about you (hide the post)');
    const actionId = idFrom(page.text, /href="\/moderation\/actions\/(\d+)\/appeal">How to appeal</);
    expect(await kindsOf(hearth, 'ash')).to.deep.equal([]);

    expect((await p('birch').submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {})).status).to.equal(303);
    for (const h of ['fern', 'gale', 'elm']) await p(h).submit('/moderation', '/moderation/volunteer', { appealPanel: 'on' });
    const appealed = await p('dawn').submit(`/moderation/actions/${actionId}/appeal`, `/moderation/actions/${actionId}/appeal`, { statement: 'It was my own story.' });
    expect(appealed.status).to.equal(303);
    const panel = (await hearth.db.query<{ handle: string }>("SELECT m.handle FROM notifications n JOIN members m ON m.id = n.member_id WHERE n.kind = 'appeal.panel' ORDER BY m.handle")).map((r) => r.handle);
    expect(panel).to.include('fern');
    expect(panel).not.to.include('dawn');
    expect((await p('fern').get('/notifications')).text).to.contain('You were asked to sit on an appeal panel in Hearing voices');

    const appealId = idFrom((await p('fern').get('/moderation')).text, /action="\/appeals\/(\d+)"/);
    for (const h of panel) {
      const res = await p(h).submit('/moderation', `/appeals/${appealId}`, { decision: 'overturn', reason: 'It was their own story.' });
      if (res.status !== 303) break;
    }
    expect(await kindsOf(hearth, 'dawn')).to.include('appeal.decided');
    expect((await p('dawn').get('/notifications')).text).to.contain('Your appeal was decided: it succeeded and the action was undone');
  });

  it('tells a circle’s members of an election, a nomination, voting opening and the outcome', async () => {
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    const people: Record<string, Visitor> = {};
    for (const h of ['ash', 'birch', 'dawn']) {
      people[h] = await memberVisitor(hearth, h);
      expect((await people[h]!.submit('/c/voices/moderation', '/c/voices/join', {})).status).to.equal(303);
    }
    const outsider = await memberVisitor(hearth, 'elm');
    const opened = await steward.submit('/c/voices/proposals/new?kind=election', '/c/voices/proposals', { kind: 'election', seats: '1', nominationDays: '2', votingDays: '5' });
    expect(opened.status).to.equal(303);
    const path = opened.headers.location as string;
    expect(await kindsOf(hearth, 'dawn')).to.deep.equal(['election.opened']);
    expect(await kindsOf(hearth, 'elm')).to.deep.equal([]);
    expect(await linkOf(hearth, 'dawn', 'election.opened')).to.equal(path);

    expect((await people.ash!.submit(path, `${path}/nominate`, { handle: 'birch' })).status).to.equal(303);
    expect(await kindsOf(hearth, 'birch')).to.deep.equal(['election.opened', 'nomination']);
    expect((await people.birch!.get('/notifications')).text).to.contain('ash nominated you');
    expect((await people.birch!.submit(path, `${path}/nomination`, { accept: '1' })).status).to.equal(303);

    clock.advance(2 * DAY);
    await hearth.services.moderation.settleDue();
    expect(await kindsOf(hearth, 'dawn')).to.deep.equal(['election.opened', 'vote.opened']);
    const birchId = String((await hearth.services.members.getByHandle('birch')).id);
    for (const h of ['ash', 'birch', 'dawn']) expect((await people[h]!.submit(path, `${path}/vote`, { choice: birchId })).status).to.equal(303);
    clock.advance(5 * DAY);
    await hearth.services.moderation.settleDue();
    expect(await kindsOf(hearth, 'dawn')).to.deep.equal(['election.opened', 'vote.opened', 'vote.outcome']);
    expect((await people.dawn!.get('/notifications')).text).to.contain('has an outcome');
    expect(await kindsOf(hearth, 'elm')).to.deep.equal([]);
    expect(outsider).to.be.instanceOf(Visitor);
  });

  it('tells a member their request to join a members-only circle was answered', async () => {
    const steward = await withSteward(hearth);
    await openCircle(steward, 'inner', 'Inner circle', 'members');
    const wren = await memberVisitor(hearth, 'wren');
    await admitToCircle(steward, wren, 'inner');
    expect(await kindsOf(hearth, 'wren')).to.deep.equal(['join.answered']);
    expect(await linkOf(hearth, 'wren', 'join.answered')).to.equal('/c/inner');
    expect((await wren.get('/notifications')).text).to.contain('You’re welcome in Inner circle: your request to join was accepted');
  });
});
