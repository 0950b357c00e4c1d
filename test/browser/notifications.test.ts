import { expect } from 'chai';
import { browserSuite, expectAccessible } from '../helpers/browser.js';
import { memberVisitor, openCircle, settled, startThread } from '../helpers/test-hearth.js';

describe('notifications, in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });
  before(() => openCircle(suite.steward, 'voices', 'Hearing voices'));

  it('tells A of B’s reply that mentions her: the count, the notification, the reply itself, and the thread read afterwards, accessibly', async () => {
    const page = await suite.newcomer('alice');
    // alice starts a thread through the form; bob replies (over HTTP).
    await page.goto('/c/voices/new');
    await page.getByLabel('Title').fill('A hard week');
    await page.getByLabel('Your post').fill('The voices were loud.');
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.waitForURL(/\/c\/voices\/t\/\d+$/);
    const path = new URL(page.url()).pathname;
    expect(await page.getByRole('group', { name: 'Tell me about' }).isVisible()).to.equal(true);
    await expectAccessible(page);
    const bob = await memberVisitor(suite.hearth, 'bob');
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
    await expectAccessible(page);
    await page.getByRole('link', { name: 'bob mentioned you in “A hard week”' }).click();
    await page.waitForURL(/#post-\d+$/);
    const hash = new URL(page.url()).hash;
    expect(await page.locator(hash).innerText()).to.contain('I hear you, @alice.');
    // The mention is a link to her page.
    expect(await page.locator(hash).getByRole('link', { name: '@alice' }).getAttribute('href')).to.match(/\/u\/alice$/);

    await page.goto('/notifications');
    expect(await page.locator('.notification.unread').count()).to.equal(0);
    expect(await page.locator('.meta').first().innerText()).to.equal('Nothing unread');
    await expectAccessible(page);
    // Having read the thread, its mark is gone, and so is the count.
    await page.goto('/c/voices');
    expect(await page.locator('.thread-row', { hasText: 'A hard week' }).locator('.unread-tag').count()).to.equal(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /new$/ }).count()).to.equal(0);
  });
});
