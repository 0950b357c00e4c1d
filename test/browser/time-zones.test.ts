import { expect } from 'chai';
import { browserSuite, expectAccessible, openMemberMenu } from '../helpers/browser.js';

describe('choosing a time zone, in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });

  it('suggests the browser’s zone to a member who has none, says so, and saves it', async () => {
    const page = await suite.newcomer('wren', { timezoneId: 'America/New_York', javaScriptEnabled: true });
    await openMemberMenu(page);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const zone = page.getByLabel('Your time zone');
    expect(await zone.inputValue()).to.equal('America/New_York');
    expect(await page.locator('.zone-guess').innerText()).to.contain('We guessed your time zone from your browser: New York (UTC');
    await expectAccessible(page);

    // "No thanks" puts the list back on the instance's time.
    await page.getByRole('button', { name: 'No thanks, keep the instance’s time' }).click();
    expect(await zone.inputValue()).to.equal('');
    expect(await page.locator('.zone-guess').count()).to.equal(0);

    await page.reload();
    expect(await zone.inputValue()).to.equal('America/New_York');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await page.getByRole('status').innerText()).to.equal('Saved.');
    expect(await zone.inputValue()).to.equal('America/New_York');
    // Chosen once, it is not guessed again.
    expect(await page.locator('.zone-guess').count()).to.equal(0);
    expect((await suite.hearth.services.members.getByHandle('wren')).timeZone).to.equal('America/New_York');
  });

  it('works without JavaScript: the list stays on the instance’s time and any zone can be chosen', async () => {
    const page = await suite.newcomer('ash', { timezoneId: 'Asia/Tokyo', javaScriptEnabled: false });
    await page.goto('/settings/profile');
    const zone = page.getByLabel('Your time zone');
    expect(await zone.inputValue()).to.equal('');
    expect(await page.locator('.zone-guess').count()).to.equal(0);
    await zone.selectOption('Europe/Berlin');
    await page.getByLabel('Display name').fill('Ash');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await page.getByRole('status').innerText()).to.equal('Saved.');
    expect(await zone.inputValue()).to.equal('Europe/Berlin');
    expect(await page.getByLabel('Display name').inputValue()).to.equal('Ash');
    // (axe needs scripts, so the page is checked with them in the test above.)
  });
});
