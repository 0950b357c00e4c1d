import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { runCli } from '../../../src/cli/cli.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { argon2Hasher } from '../../../src/domain/members/passwords.js';
import { freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';

const DAY = 86_400_000;

describe('power over the instance stays with members (issue 12, items 1–5)', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let river: Visitor;
  const people: Record<string, Visitor> = {};
  const p = (h: string) => people[h]!;
  const settle = () => hearth.services.moderation.settleDue();
  const idOf = async (handle: string) => String((await hearth.db.query<{ id: number }>('SELECT id FROM members WHERE handle = $1', [handle]))[0]!.id);
  const roleOf = async (handle: string) => (await hearth.db.query<{ role: string }>('SELECT role FROM members WHERE handle = $1', [handle]))[0]!.role;
  const log = async () => (await new Visitor(hearth).get('/moderation/log')).text;

  /** Opens an instance proposal and returns its path. */
  const propose = async (who: string, fields: Record<string, string>, slug?: string) => {
    const base = slug ? `/c/${slug}/proposals` : '/proposals';
    const res = await p(who).submit(`${base}/new?kind=${fields.kind}`, base, fields);
    expect(res.status, res.text).to.equal(303);
    return res.headers.location as string;
  };
  /** A consent proposal nobody objects to passes when its time is up. */
  const passByConsent = async (who: string, fields: Record<string, string>, slug?: string) => {
    const path = await propose(who, { mode: 'consent', votingDays: '2', ...fields }, slug);
    clock.advance(2 * DAY);
    await settle();
    expect((await new Visitor(hearth).get(path)).text).to.contain('accepted');
    return path;
  };

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    river = await withSteward(hearth);
    people.river = river;
    for (const h of ['ash', 'birch', 'cedar', 'dawn']) people[h] = await memberVisitor(hearth, h);
  });
  afterEach(() => hearth.close());

  it('elects stewards for a term (the first steward steps back) and lets members recall one', async () => {
    let page = await new Visitor(hearth).get('/stewards');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('@river');
    expect(page.text).to.contain('serving until the members’ first election');
    expect((await new Visitor(hearth).get('/agreements')).text).to.contain('The first stewards serve until the members’ first election');

    const path = await propose('ash', { kind: 'election', seats: '1', nominationDays: '2', votingDays: '3' });
    expect((await p('ash').submit(path, `${path}/nominate`, { handle: 'ash' })).status).to.equal(303);
    expect((await p('birch').submit(path, `${path}/nominate`, { handle: 'birch' })).status).to.equal(303);
    clock.advance(2 * DAY);
    await settle();
    const ash = await idOf('ash');
    for (const [who, choice] of [['ash', ash], ['birch', ash], ['cedar', ash], ['dawn', await idOf('birch')]] as const) {
      expect((await p(who).submit(path, `${path}/vote`, { choice })).status).to.equal(303);
    }
    clock.advance(3 * DAY);
    await settle();

    page = await new Visitor(hearth).get('/stewards');
    expect(page.text).to.contain('elected, term ends');
    expect(await roleOf('ash')).to.equal('steward');
    expect(await roleOf('river')).to.equal('member');
    expect((await river.get('/steward')).status).to.equal(403);
    let text = await log();
    expect(text).to.contain('Elected as stewards for 365 days: @ash');
    expect(text).to.contain('@river stepped back');

    // A recall: the steward it is about doesn't vote; the others decide.
    const recall = await propose('dawn', { kind: 'recall', stewardId: ash, votingDays: '2' });
    expect((await p('ash').submit(recall, `${recall}/vote`, { choice: 'no' })).status).to.equal(403);
    for (const h of ['birch', 'cedar', 'dawn']) expect((await p(h).submit(recall, `${recall}/vote`, { choice: 'yes' })).status).to.equal(303);
    clock.advance(2 * DAY);
    await settle();
    expect(await roleOf('ash')).to.equal('member');
    text = await log();
    expect(text).to.contain('Recall @ash as a steward');
    expect(text).to.contain('They are no longer a steward.');
  });

  it('opens an election by itself when the first stewards’ stated time has passed', async () => {
    // The instance was set up 90 days before the clock's today.
    await hearth.db.query('UPDATE instance SET created_at = $1', [new Date(clock.now().getTime() - 91 * DAY)]);
    expect((await new Visitor(hearth).get('/stewards')).text).to.contain('at the latest until');
    await settle();
    const opened = await hearth.db.query<{ id: number; created_by: number | null }>("SELECT id, created_by FROM proposals WHERE kind = 'election' AND circle_id IS NULL");
    expect(opened).to.have.length(1);
    expect(opened[0]!.created_by).to.equal(null);
    await settle(); // only one at a time
    expect(await hearth.db.query("SELECT 1 FROM proposals WHERE kind = 'election'")).to.have.length(1);
    expect(await roleOf('river')).to.equal('steward'); // serving on until the election is decided
    expect((await new Visitor(hearth).get('/stewards')).text).to.contain('Election of stewards');
  });

  it('amends, adds and removes single instance agreements by proposal, each with its discussion', async () => {
    const amend = await propose('ash', { kind: 'agreement_change', change: 'amend', number: '2', text: 'We treat each other with care, most of all when we disagree.', mode: 'consent', votingDays: '2' });
    const add = await propose('birch', { kind: 'agreement_change', change: 'add', text: 'We take breaks when we need them, and nobody has to explain.', mode: 'consent', votingDays: '2' });
    const remove = await propose('cedar', { kind: 'agreement_change', change: 'remove', number: '6', mode: 'consent', votingDays: '2' });
    const bad = await p('cedar').submit('/proposals/new?kind=agreement_change', '/proposals', { kind: 'agreement_change', change: 'remove', number: '40' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('There is no agreement number 40.');

    // Members talk it over on the proposal's page; visitors can read along.
    const said = await p('dawn').submit(amend, `${amend}/discussion`, { comment: 'I like this.\nIt says what we do already.' });
    expect(said.status).to.equal(303);
    expect(said.headers.location).to.equal(`${amend}#discussion`);
    const empty = await p('dawn').submit(amend, `${amend}/discussion`, { comment: '  ' });
    expect(empty.status).to.equal(400);
    const page = await new Visitor(hearth).get(amend);
    expect(page.text).to.contain('Discussion');
    expect(page.text).to.contain('@dawn');
    expect(page.text).to.contain('It says what we do already.');
    expect(page.text).to.contain('Agreement 2 becomes');

    clock.advance(2 * DAY);
    await settle();
    for (const path of [amend, add, remove]) expect((await new Visitor(hearth).get(path)).text).to.contain('accepted');
    const agreements = await new Visitor(hearth).get('/agreements');
    expect(agreements.text).to.contain('Version 4');
    const current = agreements.text.slice(agreements.text.indexOf('Version 4'), agreements.text.indexOf('Version 3'));
    expect(current).to.contain('most of all when we disagree');
    expect(current).to.contain('We take breaks when we need them');
    expect(current).not.to.contain('No selling, advertising or spam.');
    expect(agreements.text).to.contain('No selling, advertising or spam.'); // earlier versions are kept
  });

  it('amends a circle’s single agreement by its members’ proposal', async () => {
    await openCircle(river, 'voices');
    for (const h of ['ash', 'birch']) await p(h).submit('/c/voices/moderation', '/c/voices/join', {});
    await passByConsent('ash', { kind: 'agreement_change', change: 'add', text: 'We meet on Tuesdays.' }, 'voices');
    const page = await new Visitor(hearth).get('/c/voices/agreements');
    expect(page.text).to.contain('Version 2');
    expect(page.text).to.contain('We meet on Tuesdays.');
  });

  it('opens a circle members proposed (founded by the proposer), logs every opening, and follows the rule on stewards opening circles', async () => {
    const path = await passByConsent('dawn', { kind: 'new_circle', newSlug: 'gardening', newName: 'Garden days', purpose: 'Growing things together', visibility: 'public' });
    const circle = await new Visitor(hearth).get('/c/gardening');
    expect(circle.status).to.equal(200);
    expect(circle.text).to.contain('Garden days');
    const moderation = await new Visitor(hearth).get('/c/gardening/moderation');
    expect(moderation.text).to.contain('@dawn');
    expect(moderation.text).to.contain('founder, until the first election');
    expect((await new Visitor(hearth).get(path)).text).to.contain('The circle Garden days is open at /c/gardening.');

    await openCircle(river, 'voices');
    let text = await log();
    expect(text).to.contain('The circle Garden days is open at /c/gardening.');
    expect(text).to.contain('Opened the circle Garden days (/c/gardening), as the members decided; @dawn founds it');
    expect(text).to.contain('A steward opened the circle Hearing voices (/c/voices).');

    // The members decide that new circles open by proposal only.
    await passByConsent('ash', { kind: 'instance_setting', setting: 'stewardsOpenCircles', value: 'off' });
    const refused = await river.submit('/steward/circles/new', '/steward/circles/new', { slug: 'music', name: 'Music', purpose: 'Songs', visibility: 'public' });
    expect(refused.status).to.equal(403);
    text = await log();
    expect(text).to.contain('opening a new circle: stewards may open one, or members by proposal → only by a members’ proposal');
  });

  it('lets a welcome team decide join requests once the members choose one, logged without the handle; invite links by members when allowed', async () => {
    const settings = await river.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: 'For tests', registrationMode: 'approval', timeZone: 'UTC' });
    expect(settings.status).to.equal(303);
    expect((await p('ash').submit('/welcome', '/welcome/team', { join: 'yes' })).status).to.equal(303);
    const fern = new Visitor(hearth);
    await fern.register('fern');
    const fernId = await idOf('fern');
    // Until the members choose a welcome team, stewards decide.
    expect((await p('ash').submit('/welcome', `/welcome/${fernId}/approve`, {})).status).to.equal(403);

    await passByConsent('birch', { kind: 'instance_setting', setting: 'welcomeTeam', value: 'on' });
    const page = await p('ash').get('/welcome');
    expect(page.text).to.contain('@fern');
    expect((await p('ash').submit('/welcome', `/welcome/${fernId}/approve`, {})).status).to.equal(303);
    expect((await hearth.db.query<{ status: string }>("SELECT status FROM members WHERE handle = 'fern'"))[0]!.status).to.equal('active');
    const text = await log();
    expect(text).to.contain('Someone of the welcome team welcomed someone who asked to join.');
    expect(text).to.contain('@ash');
    expect(text).not.to.contain('fern');

    // Invite links: stewards only, until the members decide otherwise.
    expect((await p('cedar').get('/invites')).status).to.equal(403);
    await passByConsent('cedar', { kind: 'instance_setting', setting: 'memberInvites', value: 'on' });
    const made = await p('cedar').submit('/invites', '/invites', { note: 'for my neighbour', days: '7' });
    expect(made.status).to.equal(303);
    const invites = await p('cedar').get('/invites');
    expect(invites.text).to.contain('/register?invite');
    expect(invites.text).to.contain('for my neighbour');
    expect(await log()).to.contain('who can make invite links: the stewards → any member');
  });

  it('changes a circle’s accountability rules only by its members’ proposal, logging each field before and after', async () => {
    await openCircle(river, 'voices');
    for (const h of ['ash', 'birch', 'cedar']) await p(h).submit('/c/voices/moderation', '/c/voices/join', {});
    // The founder moderates, but can't lengthen their own term or change the quorum alone.
    const alone = await river.submit('/c/voices/rules', '/c/voices/rules', { termDays: '730', quorumPercent: '100', quorumFallback: 'advisory' });
    expect(alone.status).to.equal(400);
    expect(alone.text).to.contain('Only the circle’s members can change this, by a proposal');
    const rules = await river.get('/c/voices/rules');
    expect(rules.text).to.contain('Propose a change to these');

    await passByConsent('ash', { kind: 'circle_rules', termDays: '120', quorumPercent: '30', quorumFallback: 'stands', confirmHours: '' }, 'voices');
    const text = (await new Visitor(hearth).get('/c/voices/log')).text;
    expect(text).to.contain('as its members decided');
    expect(text).to.contain('moderators’ term: 90 days → 120 days');
    expect(text).to.contain('quorum: 20% → 30%');
    expect(text).to.contain('when too few vote: the vote is extended once → the result stands');
    expect(text).not.to.contain('time to confirm an action');
  });

  it('lets the command line make a steward for recovery, and says so in the instance log', async () => {
    const out: string[] = [];
    const code = await runCli(['member', 'create', '--handle', 'rescue', '--password', 'a long enough password', '--steward'], { out: (l) => out.push(l), err: (l) => out.push(l) }, {
      db: hearth.db,
      hasher: argon2Hasher('light'),
    });
    expect(code, out.join('\n')).to.equal(0);
    const text = await log();
    expect(text).to.contain('@rescue was made a steward from the command line');
    expect(text).to.contain('They serve until the members’ next election of stewards.');
  });
});
