import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { packageRoot } from '../../src/paths.js';
import { browserSuite, expectAccessible, logInInBrowser, openMemberMenu, saveScreenshot } from '../helpers/browser.js';
import { memberVisitor, openCircle, startThread } from '../helpers/test-hearth.js';

/** Screenshots for a person to look at (git-ignored). */
const SHOTS = path.join(packageRoot, 'test-screenshots');

describe('how Hearth looks: navigation, themes, thread rows (browser)', function () {
  this.timeout(180_000);
  const suite = browserSuite({ steward: true });
  let threadPath: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const steward = suite.steward;
    await openCircle(steward, 'voices', 'Hearing voices');
    const alice = await memberVisitor(suite.hearth, 'alice');
    const bob = await memberVisitor(suite.hearth, 'bob');
    threadPath = await startThread(alice, 'voices', { title: 'A hard week', body: 'The voices were **loud** this week.' });
    await bob.submit(threadPath, `${threadPath}/reply`, { body: 'I hear you. Mine too, sometimes.', contentWarning: '' });
    await startThread(bob, 'voices', { title: 'Sleep tips that helped', body: 'Dim lights an hour before bed.', contentWarning: '' });
  });

  async function person(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; javaScript?: boolean; handle?: string } = {}): Promise<Page> {
    const page = await suite.person(options.handle, {
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      colorScheme: options.colorScheme ?? 'light',
      javaScriptEnabled: options.javaScript ?? true,
    });
    page.setDefaultTimeout(20_000);
    return page;
  }

  const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  it('fits the navigation on one line at 1280 px and marks the current page for sight and screen readers', async () => {
    const page = await person({ handle: 'alice' });
    await page.goto('/');
    // One line: every item on the same row (each one's top above every other's bottom), and the list as tall as its tallest item.
    const line = await page.locator('.nav-wide').evaluate((ul) => {
      const items = [...ul.children].map((li) => li.getBoundingClientRect());
      return {
        height: ul.getBoundingClientRect().height,
        tallest: Math.max(...items.map((r) => r.height)),
        oneRow: Math.max(...items.map((r) => r.top)) < Math.min(...items.map((r) => r.bottom)),
        right: ul.getBoundingClientRect().right,
      };
    });
    expect(line.oneRow, 'all items on one row').to.equal(true);
    expect(line.height).to.be.closeTo(line.tallest, 1);
    expect(line.right).to.be.at.most(1280);
    expect(await page.locator('.nav-narrow').isVisible()).to.equal(false);

    const nav = mainNav(page);
    for (const name of ['Circles', 'Waiting for a reply', 'Meetings', 'Conversations']) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).to.equal(true);
    }
    // With its count when something is new ("Notifications, 1 new").
    const names = await nav.getByRole('link').evaluateAll((links) => links.filter((l) => (l as HTMLElement).offsetParent !== null).map((l) => (l.textContent ?? '').trim()));
    expect(await nav.getByRole('link', { name: /^Notifications\b/ }).isVisible(), `Notifications among ${JSON.stringify(names)}`).to.equal(true);
    expect(await nav.getByRole('searchbox', { name: 'Search' }).isVisible()).to.equal(true);
    expect(await nav.getByRole('link', { name: 'Circles', exact: true }).getAttribute('aria-current')).to.equal('page');
    expect(await nav.getByRole('link', { name: 'Meetings', exact: true }).getAttribute('aria-current')).to.equal(null);

    await nav.getByRole('link', { name: 'Meetings', exact: true }).click();
    await page.waitForURL('**/meetings');
    expect(await nav.getByRole('link', { name: 'Meetings', exact: true }).getAttribute('aria-current')).to.equal('page');
    expect(await nav.getByRole('link', { name: 'Circles', exact: true }).getAttribute('aria-current')).to.equal(null);
    // Seen, not only heard: the current link looks different.
    const weight = await nav.getByRole('link', { name: 'Meetings', exact: true }).evaluate((a) => getComputedStyle(a).fontWeight);
    expect(Number(weight)).to.be.at.least(700);

    // A circle's page belongs to "Circles".
    await page.goto('/c/voices');
    expect(await nav.getByRole('link', { name: 'Circles', exact: true }).getAttribute('aria-current')).to.equal('true');

    // The member's menu: their page, settings, what helps them, logging out.
    await openMemberMenu(page);
    for (const name of ['Your page', 'Settings', 'What helps me', 'Followed circles', 'Moderation']) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).to.equal(true);
    }
    expect(await nav.getByRole('link', { name: 'Steward tools' }).count()).to.equal(0);
    expect(await nav.getByRole('button', { name: 'Log out' }).isVisible()).to.equal(true);
    await nav.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.waitForURL('**/settings/profile');
    expect(await page.locator('details.member-menu > summary').getAttribute('class')).to.contain('has-current');
    await openMemberMenu(page);
    expect(await nav.getByRole('link', { name: 'Settings', exact: true }).getAttribute('aria-current')).to.equal('page');

    // A visitor: circles, meetings, search, log in, join.
    const visitor = await person();
    await visitor.goto('/');
    const links = await mainNav(visitor).locator('.nav-wide > li > a').allInnerTexts();
    expect(links.map((t) => t.trim())).to.deep.equal(['Circles', 'Meetings', 'Log in', 'Join']);
    expect(await mainNav(visitor).getByRole('searchbox', { name: 'Search' }).isVisible()).to.equal(true);
  });

  it('shows thread rows with replies, last activity, unread state and who took part', async () => {
    const page = await person({ handle: 'river' });
    await page.goto('/c/voices');
    const row = page.locator('.thread-row', { hasText: 'A hard week' });
    expect(await row.innerText()).to.contain('1 reply');
    expect(await row.locator('time').getAttribute('title')).to.match(/\d{4}/);
    expect(await row.locator('.avatar').count()).to.equal(2);
    expect(await row.getByText('new posts').isVisible()).to.equal(true);
    await row.getByRole('link', { name: 'A hard week' }).click();
    await page.waitForURL(/#post-\d+$/);
    await page.goto('/c/voices');
    expect(await page.locator('.thread-row', { hasText: 'A hard week' }).getByText('new posts').count()).to.equal(0);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`is free of serious accessibility problems in the ${colorScheme} theme, every form control included`, async () => {
      const page = await person({ colorScheme, handle: 'bob' });
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).to.equal(colorScheme === 'dark' ? 'rgb(23, 20, 17)' : 'rgb(251, 248, 243)');
      for (const url of ['/', '/c/voices', threadPath, '/settings/profile', '/c/voices/new', '/meetings']) {
        await page.goto(url);
        await expectAccessible(page, url);
      }
      // With the member's menu open, and focus visible on a control.
      await page.goto('/');
      await openMemberMenu(page);
      await page.keyboard.press('Tab');
      await expectAccessible(page);
      const visitor = await person({ colorScheme });
      for (const url of ['/', '/login', '/register']) {
        await visitor.goto(url);
        await expectAccessible(visitor, `${url} (visitor)`);
      }
    });
  }

  it('opens the phone menu without JavaScript', async () => {
    const page = await person({ width: 390, height: 844, javaScript: false });
    await logInInBrowser(page, 'alice');
    await page.goto('/c/voices');
    const nav = mainNav(page);
    expect(await page.locator('.nav-wide').isVisible()).to.equal(false);
    expect(await nav.getByRole('link', { name: 'Meetings', exact: true }).isVisible()).to.equal(false);
    await nav.locator('details.phone-menu > summary').click();
    for (const name of ['Circles', 'Waiting for a reply', 'Meetings', 'Conversations', 'Your page', 'Settings', 'What helps me']) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).to.equal(true);
    }
    expect(await nav.getByRole('searchbox', { name: 'Search' }).isVisible()).to.equal(true);
    expect(await nav.getByRole('button', { name: 'Log out' }).isVisible()).to.equal(true);
    expect(await nav.getByRole('link', { name: 'Circles', exact: true }).getAttribute('aria-current')).to.equal('true');
    await saveScreenshot(page, { path: path.join(SHOTS, 'phone-menu-390.png') });
    await nav.getByRole('link', { name: 'Meetings', exact: true }).click();
    await page.waitForURL('**/meetings');

    // The open menu is accessible in both themes (axe needs the page's JavaScript).
    for (const colorScheme of ['light', 'dark'] as const) {
      const withScript = await person({ width: 390, height: 844, colorScheme, handle: 'alice' });
      await withScript.locator('details.phone-menu > summary').click();
      await expectAccessible(withScript);
    }
  });

  it('saves screenshots of the main pages at desktop and phone widths', async () => {
    const pages: Array<[string, string]> = [
      ['home', '/'],
      ['circle', '/c/voices'],
      ['thread', threadPath],
      ['notifications', '/notifications'],
      ['search', '/search?q=voices'],
      ['conversations', '/conversations'],
    ];
    for (const [width, height] of [[1280, 900], [390, 844]] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await person({ width, height, colorScheme, handle: 'bob' });
        for (const [name, url] of pages) {
          const response = await page.goto(url);
          expect(response?.status(), url).to.equal(200);
          await saveScreenshot(page, { path: path.join(SHOTS, `${name}-${width}-${colorScheme}.png`), fullPage: true });
        }
      }
    }
  });
});
