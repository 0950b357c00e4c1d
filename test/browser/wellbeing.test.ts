import { expect } from 'chai';
import { browserSuite, expectAccessible, openMemberMenu } from '../helpers/browser.js';

describe('looking after yourself, in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });

  it('writes a plan, then sets a break that starts at once and shows the gentle page, accessibly', async () => {
    const page = await suite.newcomer('wren');

    await openMemberMenu(page);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'What helps me' }).click();
    await page.getByLabel('What helps me').fill('A walk by the river.');
    await page.getByRole('button', { name: 'Save my plan' }).click();
    expect(await page.getByRole('status').innerText()).to.equal('Saved.');
    await expectAccessible(page);

    await page.goto('/settings/break');
    await expectAccessible(page);
    // Quiet hours from now until a minute before now: a break that starts at once.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    await page.getByLabel('From (like 22:00)').fill(hhmm(now));
    await page.getByLabel('Until (like 07:00)').fill(hhmm(new Date(now.getTime() - 60_000)));
    await page.getByLabel('Your time zone').fill('UTC');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.goto('/');
    expect(await page.locator('h1').innerText()).to.equal('You asked for a break');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'these peer-run lines' }).click();
    await page.waitForURL('**/support');
  });
});
