import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, logInInBrowser, seriousAxeViolations, serve } from '../helpers/browser.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor } from '../helpers/test-hearth.js';

describe('check-ins: asking, offering, writing with the shared plan, and writing back, axe-clean (browser)', function () {
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

  async function page(handle: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    contexts.push(context);
    const p = await context.newPage();
    await logInInBrowser(p, handle);
    return p;
  }

  async function expectClean(p: Page, path?: string): Promise<void> {
    if (path) await p.goto(path);
    expect(await seriousAxeViolations(p), path ?? p.url()).to.deep.equal([]);
  }

  it('goes from a post to a peer’s check-in and a reply', async () => {
    const steward = new Visitor(hearth);
    await steward.setUp('river');
    await openCircle(steward, 'voices');
    const dawnV = await memberVisitor(hearth, 'dawn');
    await memberVisitor(hearth, 'elm');
    await memberVisitor(hearth, 'fern');
    const threadPath = await startThread(dawnV, 'voices', { title: 'A rough week', body: 'Everything feels heavy.' });
    await dawnV.submit('/settings/what-helps-me', '/settings/what-helps-me', { helps: 'A text, not a call.', doesNotHelp: '', earlySigns: '', hearFrom: '', anythingElse: '' });
    await dawnV.submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'fern' });

    const fern = await page('fern');
    await expectClean(fern, '/check-ins');
    await fern.getByLabel('I’d like to check in on people when someone asks').check();
    await fern.getByRole('button', { name: 'Save', exact: true }).click();
    await fern.waitForURL('**/check-ins?done=volunteer#offer');

    const elm = await page('elm');
    await elm.goto(threadPath);
    await elm.getByRole('link', { name: 'Ask a peer to check in' }).click();
    await expectClean(elm);
    await elm.getByLabel('A few words for the peer who’ll write to them (optional)').fill('They sound very low.');
    await elm.getByRole('button', { name: 'Ask a peer to check in' }).click();
    await elm.waitForURL('**/check-ins?done=asked');
    await expectClean(elm);

    await expectClean(fern, '/check-ins/waiting');
    await fern.getByRole('link', { name: 'Write to @dawn' }).click();
    await expectClean(fern);
    expect(await fern.getByRole('heading', { name: 'What helps @dawn, in their words' }).isVisible()).to.equal(true);
    await fern.getByLabel('Your message to @dawn').fill('Here if you want to talk.');
    await fern.getByRole('button', { name: 'Send my check-in' }).click();
    await fern.waitForURL('**/check-ins/waiting?sent=1');

    const dawn = await page('dawn');
    await expectClean(dawn, '/check-ins');
    expect(await dawn.locator('#messages').innerText()).to.contain('Here if you want to talk.');
    await dawn.getByLabel('Write back to @fern (only if you want to)').fill('Thank you.');
    await dawn.getByRole('button', { name: 'Send', exact: true }).click();
    await dawn.waitForURL('**/check-ins?done=reply#messages');
    expect(await dawn.getByRole('status').innerText()).to.contain('Your reply was sent.');
  });
});
