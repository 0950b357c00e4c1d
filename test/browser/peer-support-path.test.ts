import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { browserSuite, expectAccessible, TEST_PASSWORD as PASSWORD } from '../helpers/browser.js';
import { openCircle } from '../helpers/test-hearth.js';

describe('the peer-support path, in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });
  before(() => openCircle(suite.steward, 'voices', 'Hearing voices'));

  it('a thread with a content warning waits for a reply, gets one and a reaction, leaves the list; its author exports it and leaves keeping their posts without their name', async () => {
    const wren = await suite.newcomer('wren', { acceptDownloads: true });
    await wren.goto('/c/voices/new');
    await wren.getByLabel('Title').fill('Nobody gets it');
    await wren.getByLabel('Your post').fill('Today the voices were relentless.');
    await wren.getByLabel('Content warning').fill('hard day');
    await wren.getByRole('button', { name: 'Post thread' }).click();
    await wren.waitForURL(/\/c\/voices\/t\/\d+$/);
    const threadUrl = new URL(wren.url()).pathname;

    const kit = await suite.newcomer('kit', { acceptDownloads: true });
    await kit.getByRole('link', { name: 'Waiting for a reply' }).first().click();
    await kit.waitForURL('**/waiting');
    expect(await kit.locator('main').innerText()).to.contain('Nobody gets it');
    await expectAccessible(kit);
    await kit.getByRole('link', { name: 'Nobody gets it' }).click();
    await kit.getByLabel('Your reply').fill('I get it. Mine were loud today too.');
    await kit.getByRole('button', { name: 'Post reply' }).click();
    await kit.waitForURL(/#post-\d+$/);
    await kit.locator('article.post-opening').getByRole('button', { name: 'I hear you' }).click();
    await kit.waitForURL(/#post-\d+$/);
    expect(await kit.locator('article.post-opening').getByRole('button', { name: /I hear you · 1/ }).getAttribute('aria-pressed')).to.equal('true');

    await kit.goto('/waiting');
    expect(await kit.locator('main').innerText()).not.to.contain('Nobody gets it');

    // Wren downloads everything Hearth holds about them: the thread is in it.
    await wren.goto('/settings/leave');
    const [download] = await Promise.all([wren.waitForEvent('download'), wren.getByRole('button', { name: 'Download my copy' }).click()]);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const exported = JSON.parse(strFromU8(files['hearth-export.json']!)) as Record<string, unknown>;
    expect(JSON.stringify(exported)).to.contain('Nobody gets it');
    expect(JSON.stringify(exported)).to.contain('Today the voices were relentless.');
    expect(JSON.stringify(exported)).to.contain('hard day');
    expect(strFromU8(files['hearth-export.html']!)).to.contain('Nobody gets it');

    // Wren leaves, keeping their posts without their name.
    await wren.getByLabel('Keep my posts, without my name').check();
    await wren.getByLabel('Type your handle to confirm').fill('wren');
    await wren.getByLabel('Your password').fill(PASSWORD);
    await wren.getByRole('button', { name: 'Delete my account' }).click();
    await wren.waitForURL('**/goodbye');
    // The deletion is carried out in the background, right after the goodbye page: wait for it, not for time.
    await suite.hearth.services.leaving.idle();
    expect((await suite.hearth.services.leaving.deletionOf('wren'))?.completedAt).to.be.instanceOf(Date);

    const thread = await kit.goto(threadUrl);
    expect(thread?.status()).to.equal(200);
    const opening = await kit.locator('article.post-opening').innerText();
    expect(opening).to.contain('A former member');
    expect(opening).not.to.contain('wren');
    await kit.locator('article.post-opening details summary').click();
    expect(await kit.locator('article.post-opening').innerText()).to.contain('Today the voices were relentless.');
    const profile = await kit.goto('/u/wren');
    expect(profile?.status()).to.equal(404);
  });
});
