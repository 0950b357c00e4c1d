import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { browserSuite, expectAccessible } from '../helpers/browser.js';
import { openCircle } from '../helpers/test-hearth.js';

/** A date `days` from today, as YYYY-MM-DD (what a date field holds). */
const daysAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('meetings and pinned resources in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });
  let page: Page;

  before(async () => {
    await openCircle(suite.steward, 'voices');
    page = await suite.person('river');
  });

  const noSeriousProblems = (what: string) => expectAccessible(page, what);

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
