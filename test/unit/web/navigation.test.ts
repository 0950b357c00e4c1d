import { expect } from 'chai';
import { currentPlace } from '../../../src/web/navigation.js';
import { avatarColour, AVATAR_COLOURS, initialsOf, relativeWords, wordsHoldFor } from '../../../src/web/view-helpers.js';

describe('the navigation’s "you are here"', () => {
  it('names this very page, or the part of the site a page belongs to', () => {
    expect(currentPlace('/', undefined)).to.deep.equal({ place: 'circles', current: 'page' });
    expect(currentPlace('/c/voices/t/3', undefined)).to.deep.equal({ place: 'circles', current: 'true' });
    expect(currentPlace('/meetings', 'alice')).to.deep.equal({ place: 'meetings', current: 'page' });
    expect(currentPlace('/notifications/', 'alice')).to.deep.equal({ place: 'notifications', current: 'page' });
    expect(currentPlace('/conversations/4', 'alice')).to.deep.equal({ place: 'conversations', current: 'true' });
    expect(currentPlace('/u/alice', 'alice')).to.deep.equal({ place: 'profile', current: 'page' });
    expect(currentPlace('/u/bob', 'alice')).to.equal(undefined);
    expect(currentPlace('/settings/what-helps-me', 'alice')).to.deep.equal({ place: 'whatHelps', current: 'page' });
    expect(currentPlace('/settings/password', 'alice')).to.deep.equal({ place: 'settings', current: 'true' });
    expect(currentPlace('/steward/members', 'river')).to.deep.equal({ place: 'steward', current: 'true' });
    expect(currentPlace('/about', undefined)).to.equal(undefined);
  });
});

describe('thread rows’ words and avatars', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('says how long ago, calmly', () => {
    expect(relativeWords(new Date('2026-03-01T11:59:30Z'), now)).to.equal('just now');
    expect(relativeWords(new Date('2026-03-01T11:55:00Z'), now)).to.equal('5 minutes ago');
    expect(relativeWords(new Date('2026-03-01T09:00:00Z'), now)).to.equal('3 hours ago');
    expect(relativeWords(new Date('2026-02-28T10:00:00Z'), now)).to.equal('yesterday');
    expect(relativeWords(new Date('2026-02-14T12:00:00Z'), now)).to.equal('2 weeks ago');
    expect(relativeWords(new Date('2025-01-01T12:00:00Z'), now)).to.equal('last year');
  });
  it('knows how long its words hold (a member’s page is kept no longer), and errs short by seconds only', () => {
    const offsets = [-30, -59, -61, -90, -3_599, -3_700, -7_200, -86_000, -90_000, -8 * 86_400, -40 * 86_400, -400 * 86_400, 20, 90, 3_700, 7_200, 2 * 86_400];
    for (const seconds of offsets) {
      const at = new Date(now.getTime() + seconds * 1000);
      const hold = wordsHoldFor(at, now);
      const words = relativeWords(at, now);
      expect(relativeWords(at, new Date(now.getTime() + hold)), `${seconds} s, held ${hold} ms`).to.equal(words);
      expect(relativeWords(at, new Date(now.getTime() + hold + 3_000)), `${seconds} s, changed after ${hold} ms`).not.to.equal(words);
    }
  });
  it('makes initials from the name, else the handle, and one colour per handle', () => {
    expect(initialsOf('River Stone', 'river')).to.equal('RS');
    expect(initialsOf('', 'sky_blue')).to.equal('SB');
    expect(initialsOf('élan', 'x')).to.equal('É');
    expect(avatarColour('alice')).to.equal(avatarColour('alice'));
    expect(avatarColour('alice')).to.be.within(0, AVATAR_COLOURS - 1);
  });
});

describe('the notifications link', () => {
  const render = async (root: Record<string, unknown>) => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const Handlebars = (await import('handlebars')).default;
    const { viewsDir } = await import('../../../src/paths.js');
    const { viewHelpers } = await import('../../../src/web/view-helpers.js');
    const hb = Handlebars.create();
    hb.registerHelper(viewHelpers as unknown as Handlebars.HelperDeclareSpec);
    return hb.compile(readFileSync(path.join(viewsDir, 'partials', 'nav-notifications.hbs'), 'utf8'))(root);
  };
  it('says how many are new, calmly, and nothing when none are', async () => {
    const three = await render({ unreadNotifications: 3 });
    expect(three).to.contain('<span class="visually-hidden">, 3 new</span><span class="nav-count" aria-hidden="true">3</span>');
    for (const none of [{ unreadNotifications: 0 }, {}]) {
      const html = await render(none);
      expect(html).to.contain('>Notifications</a>');
      expect(html).not.to.contain('nav-count');
    }
  });
});
