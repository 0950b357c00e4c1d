import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { browserSuite, expectAccessible, TEST_PASSWORD as PASSWORD, openMemberMenu, saveScreenshot } from '../helpers/browser.js';

describe('Hearth in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite();

  it('sets up, opens a circle, posts a thread with a content warning, replies, and reads it', async () => {
    // A steward sets the instance up on the first visit and opens a circle.
    const steward = await suite.person();
    await steward.goto('/');
    await steward.waitForURL('**/setup');
    await steward.getByLabel('Name', { exact: true }).fill('Tuesday Group');
    // Setup suggests steward approval; this group chooses open registration.
    expect(await steward.getByLabel(/^Steward approval/).isChecked()).to.equal(true);
    await steward.getByLabel(/^Open: anyone/).check();
    await steward.getByLabel('Handle').fill('river');
    await steward.getByLabel('Password').fill(PASSWORD);
    await steward.getByRole('button', { name: 'Set up' }).click();
    await steward.waitForURL('**/?welcome=steward');
    await steward.goto('/steward/circles/new');
    await steward.getByLabel('Name').fill('Hearing voices');
    await steward.getByLabel('Address').fill('voices');
    await steward.getByRole('button', { name: 'Open circle' }).click();
    await steward.waitForURL('**/c/voices');

    // Alice joins and starts a thread with a content warning.
    const alice = await suite.newcomer('alice');
    await alice.getByRole('link', { name: 'Hearing voices' }).click();
    await alice.getByRole('link', { name: 'Start a thread' }).click();
    await alice.getByLabel('Title').fill('A hard week');
    await alice.getByLabel('Your post').fill('The voices were **loud** this week.');
    await alice.getByLabel('Content warning').fill('distressing voices');
    await alice.getByRole('button', { name: 'Post thread' }).click();
    await alice.waitForURL(/\/c\/voices\/t\/\d+$/);
    const threadUrl = alice.url();

    // Bob joins and replies.
    const bob = await suite.newcomer('bob');
    await bob.goto(threadUrl);
    await bob.getByLabel('Your reply').fill('I hear you. Mine too, sometimes.');
    await bob.getByRole('button', { name: 'Post reply' }).click();
    await bob.waitForURL(/#post-\d+$/);

    // Both posts are there; the warned one stays folded until opened.
    await alice.goto(threadUrl);
    const warned = alice.locator('details.content-warning').first();
    expect(await warned.locator('summary').innerText()).to.contain('distressing voices');
    expect(await warned.locator('.post-body').isVisible()).to.equal(false);
    expect(await alice.getByText('I hear you. Mine too, sometimes.').isVisible()).to.equal(true);
    await warned.locator('summary').click();
    expect(await warned.locator('.post-body').isVisible()).to.equal(true);
    expect(await warned.locator('.post-body strong').innerText()).to.equal('loud');

    const artifacts = path.join(packageRoot, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await saveScreenshot(alice, { path: path.join(artifacts, 'thread.png'), fullPage: true });

    await expectAccessible(alice);

    // The "Followed circles" page, with a problem shown next to its field.
    await openMemberMenu(alice);
    await alice.getByRole('link', { name: 'Followed circles' }).click();
    await alice.getByLabel('Follow a circle').fill('not an address');
    await alice.getByRole('button', { name: 'Follow' }).click();
    expect(await alice.locator('.error-summary').innerText()).to.contain('address');
    await expectAccessible(alice);
  });

  it('shows problems next to the fields and keeps what was typed, accessibly', async () => {
    const page = await suite.person();
    await page.goto('/register');
    await page.getByLabel('Handle').fill('Not Valid!');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Join' }).click();
    expect(await page.locator('.error-summary').innerText()).to.contain('lower-case letters');
    expect(await page.getByLabel('Handle').inputValue()).to.equal('Not Valid!');
    // The summary takes focus (progressive enhancement) so screen readers announce it.
    expect(await page.evaluate(() => document.activeElement?.className)).to.equal('error-summary');
    await expectAccessible(page);
  });

  it('keeps the home, circle and login pages free of serious accessibility problems', async () => {
    const page = await suite.person();
    for (const url of ['/', '/c/voices', '/login', '/support', '/waiting']) {
      await page.goto(url);
      await expectAccessible(page, url);
    }
  });
});
