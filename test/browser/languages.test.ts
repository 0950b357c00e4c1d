import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { browserSuite, expectAccessible } from '../helpers/browser.js';
import { expectNoEnglish } from '../helpers/languages.js';
import { openCircle, startThread } from '../helpers/test-hearth.js';

/**
 * Issue 13: a German-speaking visitor gets German pages from their browser's
 * language, registers, posts and reads dates in German; every page people
 * pass through is accessible in each language.
 */
describe('Hearth in German and Spanish, in the browser', function () {
  this.timeout(240_000);
  const suite = browserSuite({ steward: true });

  before(async () => {
    await openCircle(suite.steward, 'stimmen', 'Stimmen hören');
    await startThread(suite.steward, 'stimmen', { title: 'Willkommen im Kreis', body: 'Schön, dass du da bist.' });
  });

  const pageIn = (locale: string) => suite.person(undefined, { locale });

  /** No English sentence of the frame is left, and nothing a template forgot to put into words. */
  async function expectNoLeftovers(p: Page, where: string): Promise<void> {
    const text = await p.locator('body').innerText();
    expectNoEnglish(text, ['Skip to the main content'], { where });
    expect(text, where).not.to.match(/\bWaiting for a reply\b|\bLog in\b|\bNotifications\b/);
  }

  it('a German-speaking visitor reads German pages, registers, posts and reads dates in German', async () => {
    const p = await pageIn('de-DE');
    await p.goto('/');
    expect(await p.locator('html').getAttribute('lang')).to.equal('de');
    expect(await p.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Kreise' }).first().isVisible()).to.equal(true);
    await expectAccessible(p, 'home, de');
    await expectNoLeftovers(p, 'home');

    // Registering: the form's words and its problems are German.
    await p.getByRole('link', { name: 'Mitmachen' }).first().click();
    await p.waitForURL('**/register');
    await expectAccessible(p, 'register, de');
    await p.locator('#handle').fill('lina');
    await p.locator('#password').fill('kurz');
    await p.locator('form[action="/register"] button[type="submit"]').click();
    await p.waitForLoadState();
    expect(await p.locator('html').getAttribute('lang')).to.equal('de');
    await expectAccessible(p, 'register with a problem, de');
    await expectNoLeftovers(p, 'register with a problem');
    await p.locator('#password').fill('ein langes genug passwort');
    await p.locator('form[action="/register"] button[type="submit"]').click();
    await p.waitForURL((url) => !url.pathname.startsWith('/register'));

    // Posting in a circle.
    await p.goto('/c/stimmen/new');
    await expectAccessible(p, 'new thread, de');
    await expectNoLeftovers(p, 'new thread');
    await p.locator('#title').fill('Wie geht ihr mit lauten Tagen um?');
    await p.locator('#body').fill('Heute waren die Stimmen sehr laut.');
    await p.locator('form[action="/c/stimmen/new"] button[type="submit"]').click();
    await p.waitForURL('**/c/stimmen/t/**');
    expect(await p.getByRole('heading', { level: 1 }).innerText()).to.equal('Wie geht ihr mit lauten Tagen um?');
    await expectAccessible(p, 'thread, de');
    await expectNoLeftovers(p, 'thread');

    // Dates: a German month ("26. Nov. 2026") in the exact time, German words for how long ago.
    const times = await p.locator('main time').evaluateAll((els) => els.map((e) => `${e.getAttribute('title') ?? ''} ${e.textContent ?? ''}`));
    expect(times.join(' | ')).to.match(/\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}/);
    // The circle's list says how long ago, in German.
    await p.goto('/c/stimmen');
    await expectAccessible(p, 'circle, de');
    expect((await p.locator('main time').allInnerTexts()).join(' | ')).to.match(/gerade eben|vor \d+ Minute/);
  });

  it('a Spanish-speaking visitor reads Spanish pages, accessibly', async () => {
    const p = await pageIn('es-ES');
    for (const path of ['/', '/c/stimmen', '/login', '/register', '/support', '/search?q=Stimmen', '/meetings']) {
      await p.goto(path);
      expect(await p.locator('html').getAttribute('lang'), path).to.equal('es');
      await expectAccessible(p, `${path}, es`);
      await expectNoLeftovers(p, path);
    }
    // The switch at the foot of each page: Deutsch, kept for the next pages.
    await p.goto('/support');
    await p.getByRole('navigation', { name: 'Idioma' }).getByRole('link', { name: 'Deutsch' }).click();
    await p.waitForURL('**/support');
    expect(await p.locator('html').getAttribute('lang')).to.equal('de');
    await p.goto('/');
    expect(await p.locator('html').getAttribute('lang')).to.equal('de');
  });
});
