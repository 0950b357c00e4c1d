import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, registerInBrowser, seriousAxeViolations, serve } from '../helpers/browser.js';
import { freshHearth, memberVisitor, openCircle, settled, startThread, withSteward } from '../helpers/test-hearth.js';

describe('notifications, in the browser', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
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

  it('tells A of B’s reply that mentions her: the count, the notification, the reply itself, and the thread read afterwards, accessibly', async () => {
    const page = await context.newPage();
    await registerInBrowser(page, 'alice');
    // alice starts a thread through the form; bob replies (over HTTP).
    await page.goto('/c/voices/new');
    await page.getByLabel('Title').fill('A hard week');
    await page.getByLabel('Your post').fill('The voices were loud.');
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.waitForURL(/\/c\/voices\/t\/\d+$/);
    const path = new URL(page.url()).pathname;
    expect(await page.getByRole('group', { name: 'Tell me about' }).isVisible()).to.equal(true);
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    const bob = await memberVisitor(hearth, 'bob');
    await startThread(bob, 'voices', { title: 'Bob’s own', body: 'Hi.' });
    const reply = await bob.submit(path, `${path}/reply`, { body: 'I hear you, @alice.', contentWarning: '' });
    expect(reply.status).to.equal(303);
    await settled();

    // The count waits in the navigation on every page; her thread is marked as having new posts.
    await page.goto('/c/voices');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Notifications\W*1 new$/ }).count()).to.be.greaterThan(0);
    const row = page.locator('.thread-row', { hasText: 'A hard week' });
    expect(await row.locator('.unread-tag').innerText()).to.equal('new posts');

    await page.goto('/notifications');
    expect(await page.locator('.meta').first().innerText()).to.equal('1 unread notification');
    expect(await page.locator('.notification.unread').count()).to.equal(1);
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    await page.getByRole('link', { name: 'bob mentioned you in “A hard week”' }).click();
    await page.waitForURL(/#post-\d+$/);
    const hash = new URL(page.url()).hash;
    expect(await page.locator(hash).innerText()).to.contain('I hear you, @alice.');
    // The mention is a link to her page.
    expect(await page.locator(hash).getByRole('link', { name: '@alice' }).getAttribute('href')).to.match(/\/u\/alice$/);

    await page.goto('/notifications');
    expect(await page.locator('.notification.unread').count()).to.equal(0);
    expect(await page.locator('.meta').first().innerText()).to.equal('Nothing unread');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    // Having read the thread, its mark is gone, and so is the count.
    await page.goto('/c/voices');
    expect(await page.locator('.thread-row', { hasText: 'A hard week' }).locator('.unread-tag').count()).to.equal(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /new$/ }).count()).to.equal(0);
  });
});
