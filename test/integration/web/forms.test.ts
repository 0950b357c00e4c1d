import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, type Visitor } from '../../helpers/test-hearth.js';
import { idFrom, moderatedCircle, type Cast } from '../moderation/moderation-helpers.js';

const TYPED = 'First line.\n\n- a list\n  - nested\n\n> a quote\n\n```\n    indented code\n```\nlast';
const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';

/** The text of the textarea named `name` in a page, as a browser reads it. */
function textareaValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (!m) return undefined;
  const raw = m[1]!.startsWith('\n') ? m[1]!.slice(1) : m[1]!;
  return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');
}

function onceToken(html: string): string {
  const m = /name="_once" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no one-time token on the form');
  return m[1]!;
}

describe('one way to handle a form', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let cast: Cast;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const p = (h: string) => (h === 'river' ? cast.steward : cast.people[h]!);

  beforeEach(async () => {
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now(), ['fern']);
  });
  afterEach(async () => {
    await hearth.close();
  });

  /** Every form with a textarea: where it is, who uses it, and a way to make it refuse what was sent. */
  const textareaForms = (): Array<{ who: string; page: string; action: string; field: string; fields: Record<string, string> }> => [
    { who: 'dawn', page: '/c/voices/new', action: '/c/voices/new', field: 'body', fields: { title: '' } },
    { who: 'dawn', page: cast.threadPath, action: `${cast.threadPath}/reply`, field: 'body', fields: { contentWarning: 'x'.repeat(300) } },
    { who: 'dawn', page: `/p/${cast.postId}/edit`, action: `/p/${cast.postId}/edit`, field: 'body', fields: { title: '' } },
    { who: 'river', page: '/steward/support', action: '/steward/support', field: 'description', fields: { name: '' } },
    { who: 'river', page: '/c/voices/resources', action: '/c/voices/resources', field: 'description', fields: { title: '' } },
    { who: 'river', page: '/c/voices/meetings', action: '/c/voices/meetings', field: 'description', fields: { title: 'Group', startDate: 'soon', startTime: '19:00', timeZone: 'Europe/Berlin', recurrence: 'once' } },
    { who: 'river', page: '/steward/circles/new', action: '/steward/circles/new', field: 'purpose', fields: { slug: '', name: 'A circle', visibility: 'public' } },
    { who: 'river', page: '/steward', action: '/steward/settings', field: 'description', fields: { name: '', registrationMode: 'open' } },
    { who: 'elm', page: `/report?post=${cast.postId}`, action: '/report', field: 'note', fields: { post: String(cast.postId), reason: '' } },
    { who: 'ash', page: `/moderation/act?post=${cast.postId}`, action: '/moderation/act', field: 'reason', fields: { kind: 'hide_post', post: String(cast.postId), agreement: '' } },
    { who: 'elm', page: '/c/voices/proposals/new', action: '/c/voices/proposals', field: 'body', fields: { kind: 'agreements', title: '', mode: 'majority', votingDays: '7' } },
    { who: 'elm', page: '/c/voices/proposals/new', action: '/c/voices/proposals', field: 'agreements', fields: { kind: 'agreements', title: '', mode: 'majority', votingDays: '7' } },
    { who: 'ash', page: '/c/voices/rules', action: '/c/voices/rules', field: 'keywordFilters', fields: { confirmHours: 'soon', termDays: '90', quorumPercent: '20', quorumFallback: 'extend' } },
    { who: 'dawn', page: '/settings/what-helps-me', action: '/settings/what-helps-me', field: 'helps', fields: { doesNotHelp: 'x'.repeat(5000) } },
  ];

  it('gives back every textarea exactly as typed, through two refusals in a row', async () => {
    for (const f of textareaForms()) {
      const who = p(f.who);
      for (let round = 0; round < 2; round++) {
        const res = await who.submit(f.page, f.action, { ...f.fields, [f.field]: TYPED.replace(/\n/g, '\r\n') });
        expect(res.status, `${f.action} ${f.field}`).to.be.within(400, 499);
        expect(textareaValue(res.text, f.field), `${f.action} ${f.field}`).to.equal(TYPED);
      }
    }
  });

  it('makes one object however often a creation form is sent', async () => {
    const cases: Array<{ who: string; page: string; action: string; fields: Record<string, string>; count: string }> = [
      { who: 'dawn', page: '/c/voices/new', action: '/c/voices/new', fields: { title: 'Once', body: 'Only once.' }, count: 'SELECT count(*)::int AS n FROM threads' },
      { who: 'dawn', page: cast.threadPath, action: `${cast.threadPath}/reply`, fields: { body: 'One reply.' }, count: 'SELECT count(*)::int AS n FROM posts' },
      { who: 'elm', page: `/report?post=${cast.postId}`, action: '/report', fields: { post: String(cast.postId), reason: 'harassment', note: 'Once.' }, count: 'SELECT count(*)::int AS n FROM reports' },
      { who: 'dawn', page: '/c/voices/proposals/new', action: '/c/voices/proposals', fields: { kind: 'agreements', title: 'Kinder words', body: 'Why.', mode: 'majority', votingDays: '7', agreements: 'Be kind.' }, count: 'SELECT count(*)::int AS n FROM proposals' },
      { who: 'river', page: '/steward/support', action: '/steward/support', fields: { name: 'Warmline', howToReach: 'Call 0800', hours: 'Evenings', languages: 'English', description: 'Peers answer.', emergencyServices: 'Never without your consent.' }, count: 'SELECT count(*)::int AS n FROM support_lines' },
      { who: 'river', page: '/c/voices/resources', action: '/c/voices/resources', fields: { title: 'A guide', link: 'https://example.org/guide' }, count: 'SELECT count(*)::int AS n FROM circle_resources' },
      { who: 'river', page: '/steward/circles/new', action: '/steward/circles/new', fields: { slug: 'newcircle', name: 'New circle', purpose: 'Once.', visibility: 'public' }, count: 'SELECT count(*)::int AS n FROM circles' },
      { who: 'river', page: '/steward/invites', action: '/steward/invites', fields: { note: 'For Sam', days: '14' }, count: 'SELECT count(*)::int AS n FROM invites' },
      { who: 'ash', page: `/moderation/act?post=${cast.postId}`, action: '/moderation/act', fields: { kind: 'add_content_warning', post: String(cast.postId), agreement: AGREEMENT, reason: 'Kinder to readers.', contentWarning: 'loss' }, count: 'SELECT count(*)::int AS n FROM moderation_actions' },
    ];
    for (const c of cases) {
      const who: Visitor = p(c.who);
      const page = await who.get(c.page);
      const token = onceToken(page.text);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const before = (await hearth.db.query<{ n: number }>(c.count))[0]!.n;
      const send = () => who.agent.post(c.action).type('form').set('Accept', 'text/html').send({ ...c.fields, _csrf: csrf, _once: token });
      const [first, second] = await Promise.all([send(), send()]);
      const third = await send();
      expect(first.status, c.action).to.equal(303);
      expect(second.status, c.action).to.equal(303);
      expect(third.status, c.action).to.equal(303);
      expect(second.headers.location, c.action).to.equal(first.headers.location);
      expect(third.headers.location, c.action).to.equal(first.headers.location);
      expect((await hearth.db.query<{ n: number }>(c.count))[0]!.n, c.action).to.equal(before + 1);
    }
  });

  it('lets a refused form be corrected and sent with the same token', async () => {
    const page = await p('dawn').get('/c/voices/new');
    const token = onceToken(page.text);
    const refused = await p('dawn').submit('/c/voices/new', '/c/voices/new', { title: '', body: 'Words', _once: token });
    expect(refused.status).to.equal(400);
    expect(onceToken(refused.text)).to.equal(token);
    const sent = await p('dawn').submit('/c/voices/new', '/c/voices/new', { title: 'Now with a title', body: 'Words', _once: token });
    expect(sent.status).to.equal(303);
  });

  it('refuses a NUL character with a clear word next to the field, and stores nothing', async () => {
    const before = (await hearth.db.query<{ n: number }>('SELECT count(*)::int AS n FROM threads'))[0]!.n;
    const res = await p('dawn').submit('/c/voices/new', '/c/voices/new', { title: 'Hello\u0000there', body: 'Words I typed' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('invisible character');
    expect(textareaValue(res.text, 'body')).to.equal('Words I typed');
    expect((await hearth.db.query<{ n: number }>('SELECT count(*)::int AS n FROM threads'))[0]!.n).to.equal(before);
  });

  it('keeps a moderator’s typed reason when the post was hidden meanwhile (a conflict)', async () => {
    const hide = (by: string, reason: string) =>
      p(by).submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', { kind: 'hide_post', post: String(cast.postId), agreement: AGREEMENT, reason });
    expect((await hide('ash', 'Hiding while we talk.')).status).to.equal(303);
    const second = await hide('birch', 'My own long reason, written with care.');
    expect(second.status).to.equal(409);
    expect(second.text).to.contain('already hidden');
    expect(textareaValue(second.text, 'reason')).to.equal('My own long reason, written with care.');
  });

  it('answers stepping back from a case that does not exist, or is not yours to decide, without a server error', async () => {
    expect((await p('ash').submit('/c/voices/review', '/moderation/actions/999999/step-back', {})).status).to.equal(404);
    expect((await p('ash').submit('/c/voices/review', '/moderation/reports/999999/step-back', {})).status).to.equal(404);
    await p('elm').submit(`/report?post=${cast.postId}`, '/report', { post: String(cast.postId), reason: 'harassment', note: 'Hm.' });
    const reportId = (await hearth.db.query<{ id: number }>('SELECT id FROM reports ORDER BY id DESC LIMIT 1'))[0]!.id;
    expect((await p('fern').submit('/moderation', `/moderation/reports/${reportId}/step-back`, {})).status).to.equal(403);
    expect((await p('ash').submit('/c/voices/review', `/moderation/reports/${reportId}/step-back`, {})).status).to.equal(303);
  });

  it('shows every circle’s public entries in the instance’s moderation log', async () => {
    await p('ash').submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', { kind: 'hide_post', post: String(cast.postId), agreement: AGREEMENT, reason: 'Hiding while we talk.' });
    const log = await p('elm').get('/moderation/log');
    expect(log.text).not.to.contain('Nothing has been logged yet');
    expect(log.text).to.contain('Hiding while we talk.');
    expect(log.text).to.contain('href="/c/voices/log"');
    const { Visitor: V } = await import('../../helpers/test-hearth.js');
    expect((await new V(hearth).get('/moderation/log')).text).to.contain('Hiding while we talk.');
    const queue = await p('birch').get('/c/voices/review');
    expect(idFrom(queue.text, /\/moderation\/actions\/(\d+)\/confirm/)).to.be.a('number');
  });
});
