import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageRoot } from '../../src/paths.js';
import { browserSuite, expectAccessible, saveScreenshot } from '../helpers/browser.js';

const SHOTS = join(packageRoot, 'test', 'artifacts', 'screenshots');

describe('private conversations, in the browser', function () {
  this.timeout(180_000);
  const suite = browserSuite({ steward: true });

  async function startConversation(page: Page, to: string, message: string): Promise<void> {
    await page.goto('/conversations/new');
    await page.getByLabel('To').fill(to);
    await page.getByLabel('Your message').fill(message);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  it('C asks A, A accepts and they write to each other; D, whom A blocked, cannot reach A; every page is accessible', async () => {
    const a = await suite.newcomer('ash');
    const c = await suite.newcomer('cedar');
    const d = await suite.newcomer('dune');

    // A lets anyone here start a conversation.
    await a.goto('/settings/profile');
    await a.getByLabel('Anyone on this instance').check();
    await a.getByRole('button', { name: 'Save' }).click();
    expect(await a.getByRole('status').innerText()).to.equal('Saved.');

    await c.goto('/conversations');
    expect(await c.getByText('Conversations stay on this instance').count()).to.equal(1);
    await expectAccessible(c);
    await c.goto('/conversations/new');
    await expectAccessible(c);
    await startConversation(c, '@ash', 'Hello Ash, could we *talk* about the meeting?');
    await c.waitForURL(/\/conversations\/\d+#message-\d+$/);
    expect(await c.getByText('could we talk about the meeting?').count()).to.equal(1);

    await a.goto('/conversations');
    expect(await a.getByRole('heading', { name: 'Requests' }).count()).to.equal(1);
    await expectAccessible(a);
    await a.getByRole('link', { name: 'From cedar' }).click();
    await expectAccessible(a);
    await a.getByRole('button', { name: 'Accept' }).click();
    await a.getByLabel('Your message').fill('Of course, Cedar.');
    await a.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(/#message-\d+$/);
    expect(await a.getByText('Of course, Cedar.').count()).to.equal(1);
    await expectAccessible(a);

    await c.reload();
    expect(await c.getByText('Of course, Cedar.').count()).to.equal(1);
    await c.getByLabel('Your message').fill('Thank you!');
    await c.getByRole('button', { name: 'Send' }).click();
    await c.waitForURL(/#message-\d+$/);
    await a.reload();
    expect(await a.getByText('Thank you!').count()).to.equal(1);
    // For a person to look at (git-ignored): a conversation at desktop and phone widths.
    mkdirSync(SHOTS, { recursive: true });
    for (const [name, size] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      await a.setViewportSize(size);
      await saveScreenshot(a, { path: join(SHOTS, `conversation-${name}.png`), fullPage: true });
    }
    await a.setViewportSize({ width: 1280, height: 800 });

    // The report page, as A would see it.
    await a.getByRole('link', { name: 'Report this message' }).first().click();
    expect(await a.getByRole('heading', { name: 'Report a message' }).count()).to.equal(1);
    expect(await a.getByLabel("Include the message’s text in the report").isChecked()).to.equal(false);
    await expectAccessible(a);

    // A blocks D; D can't start a conversation with A, and isn't told why.
    await a.goto('/moderation');
    await a.getByLabel('Block a member (their handle)').fill('dune');
    await a.getByRole('button', { name: 'Block', exact: true }).click();
    await startConversation(d, 'ash', 'Hi Ash');
    expect(await d.getByText('You can’t start a conversation with @ash. Each member chooses who may write to them.').first().isVisible()).to.equal(true);
    expect(await d.getByLabel('Your message').inputValue()).to.equal('Hi Ash');
    await expectAccessible(d);
    expect(await suite.hearth.db.query("SELECT 1 FROM conversation_messages WHERE source = 'Hi Ash'")).to.have.length(0);
  });
});
