import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, logInInBrowser, seriousAxeViolations, serve } from '../helpers/browser.js';
import { freshHearth, memberVisitor, openCircle, Visitor } from '../helpers/test-hearth.js';

describe('privacy by default: the pages are usable and axe-clean (browser)', function () {
  this.timeout(180_000);
  let hearth: Hearth;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    hearth = await freshHearth();
    server = await serve(hearth);
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await hearth?.close();
  });

  async function page(handle?: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    contexts.push(context);
    const p = await context.newPage();
    if (handle) await logInInBrowser(p, handle);
    return p;
  }

  async function expectClean(p: Page, path: string): Promise<void> {
    await p.goto(path);
    expect(await seriousAxeViolations(p), path).to.deep.equal([]);
  }

  it('setup, privacy choices, the door of a members-only circle, its review page, a circle page and the moderation page', async () => {
    const visitor = await page();
    await expectClean(visitor, '/setup');
    expect(await visitor.getByLabel(/^Steward approval/).isChecked()).to.equal(true);

    const steward = new Visitor(hearth);
    await steward.setUp('river');
    await openCircle(steward, 'voices');
    await openCircle(steward, 'inner', 'Inner room', 'members');
    await memberVisitor(hearth, 'sky');

    const sky = await page('sky');
    await expectClean(sky, '/settings/profile');
    await sky.getByLabel('Let other servers suggest me').check();
    await sky.getByRole('button', { name: 'Save', exact: true }).click();
    await sky.waitForURL('**/settings/profile?saved=1');
    expect(await sky.getByLabel('Let other servers suggest me').isChecked()).to.equal(true);
    expect(await sky.getByLabel("Let other servers' search find my posts").isChecked()).to.equal(false);

    await expectClean(sky, '/c/inner');
    await sky.getByRole('button', { name: 'Ask to join this circle' }).click();
    await sky.waitForURL('**/c/inner');
    expect(await sky.getByText('You asked to join').isVisible()).to.equal(true);
    await expectClean(sky, '/c/voices');
    await expectClean(sky, '/c/voices/new');
    await expectClean(sky, '/moderation');

    const river = await page('river');
    await expectClean(river, '/c/inner/review');
    await river.getByRole('button', { name: 'Welcome @sky in' }).click();
    await river.waitForURL('**/c/inner/review');
    await sky.goto('/c/inner');
    expect(await sky.getByRole('link', { name: 'Start a thread' }).isVisible()).to.equal(true);
  });
});
