import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, seriousAxeViolations, serve } from '../helpers/browser.js';
import { freshHearth, openCircle, withSteward } from '../helpers/test-hearth.js';

/** A date `days` from today, as YYYY-MM-DD (what a date field holds). */
const daysAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('meetings and pinned resources in the browser', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;
  let page: Page;

  before(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    server = await serve(hearth);
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: server.baseUrl });
    page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Handle').fill('river');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await hearth?.close();
  });

  const noSeriousProblems = async (what: string) => {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  };

  it('adds a weekly meeting through the form, without scripts needed, with problems shown accessibly', async () => {
    await page.goto('/c/voices/meetings');
    await noSeriousProblems('the meetings page with its form');
    await page.getByLabel('Title').fill('Tuesday evening group');
    await page.getByLabel('Date', { exact: true }).fill(daysAhead(10));
    await page.getByLabel('Starts at').fill('19:00');
    await page.getByLabel('Time zone').fill('Atlantis/Capital');
    await page.getByLabel('Every week, on the weekday of the first date').check();
    await page.getByLabel('Place (optional if there is a link)').fill('Community centre');
    await page.getByRole('button', { name: 'Add this meeting' }).click();
    expect(await page.locator('.error-summary').innerText()).to.contain('time zone');
    expect(await page.getByLabel('Time zone').inputValue()).to.equal('Atlantis/Capital');
    await noSeriousProblems('the form with a problem');

    // A city name is enough.
    await page.getByLabel('Time zone').fill('Berlin');
    await page.getByRole('button', { name: 'Add this meeting' }).click();
    await page.waitForURL(/\/c\/voices\/meetings\/\d+$/);
    expect(await page.locator('h1').innerText()).to.equal('Tuesday evening group');
    expect(await page.locator('.occurrences').innerText()).to.contain('Europe/Berlin time');
    await noSeriousProblems('a meeting page');

    for (const url of ['/c/voices', '/meetings']) {
      await page.goto(url);
      expect(await page.getByRole('link', { name: 'Tuesday evening group' }).count(), url).to.equal(1);
      await noSeriousProblems(url);
    }
  });

  it('pins resources and reorders them', async () => {
    await page.goto('/c/voices/resources');
    for (const title of ['Our booklet', 'The warmline']) {
      await page.getByLabel('Title').fill(title);
      await page.getByRole('button', { name: 'Pin it' }).click();
      await page.waitForURL('**/c/voices/resources');
    }
    await page.getByRole('button', { name: 'Move The warmline up' }).click();
    await page.waitForURL('**/c/voices/resources#resource-*');
    await noSeriousProblems('the resources page');
    await page.goto('/c/voices');
    const titles = await page.locator('.resource-list li').allInnerTexts();
    expect(titles).to.deep.equal(['The warmline', 'Our booklet']);
  });
});
