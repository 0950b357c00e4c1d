import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { freshHearth, type Visitor } from '../../helpers/test-hearth.js';
import { idFrom, moderatedCircle, type Cast } from '../moderation/moderation-helpers.js';

/**
 * Every page, rendered with realistic data for each kind of person, read as
 * text: nothing a person sees may be an identifier from the code (snake_case
 * words, field names), a leftover value ("undefined", "[object Object]") or a
 * doubled full stop.
 */
const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';
/** Words that look like identifiers but are the right words. */
const ALLOWED = new Set(['iCalendar']);

/** What a person sees of a page: its text and the words read out from attributes. */
export function visibleText(html: string): string {
  const attributes = [...html.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/i, ' ')
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ');
  return [body, ...attributes]
    .join(' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/\s+/g, ' ');
}

export function rawWords(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\w@/.:#-])[a-z]+(?:_[a-z0-9]+)+(?![\w/])/g)) found.push(m[0]);
  for (const m of text.matchAll(/(?<![\w@/.:#-])[a-z]+[A-Z][A-Za-z]*(?![\w/])/g)) if (!ALLOWED.has(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/\b(undefined|NaN|\[object Object\])/g)) found.push(m[0]);
  for (const m of text.matchAll(/[^.]\.\.(?!\.)/g)) found.push(`double full stop: “${text.slice(Math.max(0, m.index - 30), m.index + 3)}”`);
  return found;
}

describe('words on every page', function () {
  this.timeout(180_000);
  let hearth: Hearth;
  let cast: Cast;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));

  before(async () => {
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now(), ['fern', 'gale']);
    const p = (h: string) => cast.people[h]!;
    const steward = cast.steward;
    // A members-only circle, a reply, a report, a hidden post, an appeal, a proposal, a meeting, a resource, a support line, someone waiting to join.
    await steward.submit('/steward/circles/new', '/steward/circles/new', { slug: 'quiet', name: 'Quiet room', purpose: 'Members only', visibility: 'members' });
    await p('elm').submit(cast.threadPath, `${cast.threadPath}/reply`, { body: 'I hear you. *Here* if you want.', contentWarning: 'loss' });
    await p('elm').submit(`/report?post=${cast.postId}`, '/report', { post: String(cast.postId), reason: 'harassment', note: 'This felt like a threat to me.' });
    await p('ash').submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', { kind: 'hide_post', post: String(cast.postId), agreement: AGREEMENT, reason: 'Hiding while we talk.' });
    const queue = await p('birch').get('/c/voices/review');
    const actionId = idFrom(queue.text, /\/moderation\/actions\/(\d+)\/confirm/);
    await p('birch').submit('/c/voices/review', `/moderation/actions/${actionId}/confirm`, {});
    for (const h of ['fern', 'gale']) await p(h).submit('/moderation', '/moderation/volunteer', { appealPanel: 'on' });
    for (const h of ['fern', 'gale']) await p(h).submit('/check-ins', '/check-ins/volunteer', { checkIn: 'on' });
    await p('elm').submit(`/check-ins/ask?post=${cast.postId}`, '/check-ins/ask', { post: String(cast.postId), note: 'They sound low.' });
    await p('dawn').submit(`/moderation/actions/${actionId}/appeal`, `/moderation/actions/${actionId}/appeal`, { statement: 'It was my own story.' });
    await p('elm').submit('/c/voices/proposals/new', '/c/voices/proposals', { kind: 'election', title: 'Choose moderators', body: 'Time to choose.', mode: 'majority', votingDays: '7', nominationDays: '3', seats: '2' });
    await steward.submit('/c/voices/meetings', '/c/voices/meetings', {
      title: 'Tuesday evening group', description: 'We *listen*.', startDate: '2026-03-03', startTime: '19:00', timeZone: 'Europe/Berlin',
      duration: '90', recurrence: 'weekly', repeatUntil: '', place: 'Community centre', link: 'https://meet.example/voices', contact: 'Ask river',
    });
    await steward.submit('/c/voices/resources', '/c/voices/resources', { title: 'Hearing Voices Network', link: 'https://example.org/hvn', description: 'Groups near you.' });
    await steward.submit('/steward/support', '/steward/support', { name: 'Peer warmline', howToReach: 'Call 0800 000', link: '', hours: 'Evenings', languages: 'English', description: 'Peers answer.', emergencyServices: '' });
    await steward.submit('/steward', '/steward/settings', { name: 'Test Hearth', description: 'For tests', registrationMode: 'approval', timeZone: 'Europe/Berlin' });
    const { Visitor: V } = await import('../../helpers/test-hearth.js');
    await new V(hearth).register('waiting_one', 'a long enough password', { displayName: 'Wren' });
  });

  after(async () => {
    await hearth.close();
  });

  /** Follows every link on the site from `seeds`, as `who` sees it, and collects what is wrong on each page. */
  async function crawl(who: Visitor, seeds: string[], loggedIn = true): Promise<{ pages: number; problems: string[] }> {
    const seen = new Set<string>();
    const queue = [...seeds];
    const problems: string[] = [];
    while (queue.length > 0 && seen.size < 150) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await who.get(path);
      if (res.status >= 500) problems.push(`${path}: status ${res.status}`);
      // A page shown to someone logged in is theirs alone: never stored by the browser or on the way.
      if (loggedIn && res.headers['cache-control'] !== 'private, no-store') problems.push(`${path}: Cache-Control ${String(res.headers['cache-control'])}`);
      if (!String(res.headers['content-type'] ?? '').includes('text/html')) continue;
      for (const word of rawWords(visibleText(res.text))) problems.push(`${path}: ${word}`);
      for (const m of res.text.matchAll(/href="(\/[^"#]*)/g)) {
        const link = m[1]!.replace(/&amp;/g, '&');
        if (link.startsWith('/static/') || link.endsWith('.ics') || link.includes('/export')) continue;
        if (!seen.has(link)) queue.push(link);
      }
    }
    return { pages: seen.size, problems };
  }

  const everywhere = ['/', '/about', '/moderation', '/check-ins', '/moderation/log', '/meetings', '/waiting', '/support', '/agreements', '/circles/followed', '/settings/profile', '/settings/leave', '/settings/break', '/settings/what-helps-me'];

  it('shows visitors no identifiers', async () => {
    const { Visitor: V } = await import('../../helpers/test-hearth.js');
    const { pages, problems } = await crawl(new V(hearth), everywhere, false);
    expect(pages).to.be.greaterThan(15);
    expect(problems).to.deep.equal([]);
  });

  it('shows a member whose post was hidden, and who appealed, no identifiers, on pages no browser keeps', async () => {
    const { pages, problems } = await crawl(cast.people.dawn!, everywhere);
    expect(pages).to.be.greaterThan(25);
    expect(problems).to.deep.equal([]);
  });

  it('shows moderators and appeal panel members no identifiers', async () => {
    for (const h of ['ash', 'fern']) {
      const { problems } = await crawl(cast.people[h]!, [...everywhere, '/c/voices/review', `/moderation/act?post=${cast.postId}`, '/c/voices/rules', '/c/voices/proposals/new', '/check-ins', '/check-ins/waiting']);
      expect(problems, h).to.deep.equal([]);
    }
  });

  it('shows stewards no identifiers, and people waiting to join by their own names', async () => {
    const steward = cast.steward;
    const { problems } = await crawl(steward, [...everywhere, '/steward', '/steward/members', '/steward/circles/new', '/steward/support', '/steward/invites', '/moderation/review', '/moderation/act']);
    expect(problems).to.deep.equal([]);
    const members = await steward.get('/steward/members');
    expect(members.text).to.contain('@waiting_one');
    expect(members.text).to.contain('(Wren)');
    expect(members.text).not.to.contain('A former member');
  });

  it('gives back what was typed under its own label on an expired form and on a pause, never a field name', async () => {
    const dawn = cast.people.dawn!;
    const expired = await dawn.agent.post('/steward/settings').type('form').set('Accept', 'text/html').send({ _csrf: 'stale', name: 'My group', description: 'Typed words', registrationMode: 'open' });
    expect(expired.status).to.equal(403);
    const text = visibleText(expired.text);
    expect(text).to.contain('Typed words');
    expect(text).to.contain('Description');
    expect(rawWords(text)).to.deep.equal([]);
  });
});
