import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { browserSuite, expectAccessible, TEST_PASSWORD as PASSWORD, openMemberMenu } from '../helpers/browser.js';

describe('leaving, in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });

  it('finds the page from the profile settings, downloads a copy, and deletes the account, accessibly', async () => {
    const page = await suite.newcomer('wren', { acceptDownloads: true });

    await openMemberMenu(page);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Leaving' }).click();
    await page.waitForURL('**/settings/leave');
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my copy' }).click()]);
    expect(download.suggestedFilename()).to.match(/^hearth-export-wren-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    expect(JSON.parse(strFromU8(files['hearth-export.json']!))).to.include({ format: 'hearth-export', handle: 'wren' });

    // A wrong password: the problem is shown next to the field, nothing happens.
    await page.getByLabel('Remove my posts').check();
    await page.getByLabel('Type your handle to confirm').fill('wren');
    await page.getByLabel('Your password').fill('not it at all');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    expect(await page.locator('.error-summary').innerText()).to.contain('Nothing was deleted');
    expect(await page.getByLabel('Type your handle to confirm').inputValue()).to.equal('wren');
    expect(await page.getByLabel('Remove my posts').isChecked()).to.equal(true);
    await expectAccessible(page);

    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL('**/goodbye');
    expect(await page.locator('h1').innerText()).to.equal('Your account is being deleted');
    expect(await page.getByRole('link', { name: 'Log in' }).isVisible()).to.equal(true);
    await expectAccessible(page);
  });
});
