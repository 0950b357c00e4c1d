import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, registerInBrowser, seriousAxeViolations, serve, openMemberMenu } from '../helpers/browser.js';
import { freshHearth, withSteward } from '../helpers/test-hearth.js';


describe('looking after yourself, in the browser', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    hearth = await freshHearth();
    await withSteward(hearth);
    server = await serve(hearth);
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: server.baseUrl });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await hearth?.close();
  });

  it('writes a plan, then sets a break that starts at once and shows the gentle page, accessibly', async () => {
    const page = await context.newPage();
    await registerInBrowser(page, 'wren');

    await openMemberMenu(page);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'What helps me' }).click();
    await page.getByLabel('What helps me').fill('A walk by the river.');
    await page.getByRole('button', { name: 'Save my plan' }).click();
    expect(await page.getByRole('status').innerText()).to.equal('Saved.');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    await page.goto('/settings/break');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    // Quiet hours from now until a minute before now: a break that starts at once.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    await page.getByLabel('From (like 22:00)').fill(hhmm(now));
    await page.getByLabel('Until (like 07:00)').fill(hhmm(new Date(now.getTime() - 60_000)));
    await page.getByLabel('Your time zone').fill('UTC');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.goto('/');
    expect(await page.locator('h1').innerText()).to.equal('You asked for a break');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    await page.getByRole('link', { name: 'these peer-run lines' }).click();
    await page.waitForURL('**/support');
  });
});
