import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, logInInBrowser, seriousAxeViolations, serve } from '../helpers/browser.js';
import { freshHearth, memberVisitor, openCircle, Visitor } from '../helpers/test-hearth.js';

describe('the instance as its members govern it: pages usable and axe-clean (browser)', function () {
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

  it('proposes a new circle through the form, discusses it, and every page on the way is axe-clean', async () => {
    const steward = new Visitor(hearth);
    await steward.setUp('river');
    await openCircle(steward, 'voices');
    const sky = await memberVisitor(hearth, 'sky');
    await sky.submit('/c/voices/moderation', '/c/voices/join', {});

    await expectClean(await page(), '/stewards');
    const member = await page('sky');
    await expectClean(member, '/stewards');
    await expectClean(member, '/agreements');
    await expectClean(member, '/welcome');
    await expectClean(member, '/c/voices/proposals/new');
    await expectClean(member, '/proposals/new?kind=new_circle');
    await member.getByLabel('Open a new circle').check();
    await member.getByLabel('Its name').fill('Garden days');
    await member.getByLabel('Its address: /c/…').fill('gardening');
    await member.getByLabel('What it is for').fill('Growing things together');
    await member.getByRole('button', { name: 'Open the proposal' }).click();
    await member.waitForURL(/\/proposals\/\d+$/);
    expect(await member.locator('h1').innerText()).to.equal('Open a new circle: Garden days');
    await member.getByLabel('Your thoughts on this proposal').fill('A quiet place to talk while our hands are busy.');
    await member.getByRole('button', { name: 'Add to the discussion' }).click();
    await member.waitForURL(/#discussion$/);
    expect(await member.content()).to.contain('A quiet place to talk while our hands are busy.');
    expect(await seriousAxeViolations(member)).to.deep.equal([]);

    const river = await page('river');
    await expectClean(river, '/c/voices/rules');
    await expectClean(river, '/invites');
  });
});
