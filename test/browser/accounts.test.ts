import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, logInInBrowser, registerInBrowser, seriousAxeViolations, serve, TEST_PASSWORD } from '../helpers/browser.js';
import { freshHearth, withSteward } from '../helpers/test-hearth.js';

describe('passwords and recovery in the browser', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    hearth = await freshHearth();
    await withSteward(hearth);
    server = await serve(hearth);
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await hearth?.close();
  });

  async function person(): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    contexts.push(context);
    return context.newPage();
  }

  async function noSeriousProblems(page: Page): Promise<void> {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${page.url()}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }

  it('a member makes recovery codes and uses one to get back in; the pages are accessible', async () => {
    const alice = await person();
    await registerInBrowser(alice, 'alice');
    await alice.goto('/settings/password');
    await noSeriousProblems(alice);
    await alice.getByLabel('Current password').fill('not my password');
    await alice.getByLabel('New password').fill('a brand new password');
    await alice.getByRole('button', { name: 'Change my password' }).click();
    expect(await alice.locator('.error-summary').innerText()).to.contain('Some of what you entered');
    await noSeriousProblems(alice);

    await alice.getByRole('button', { name: 'Make 10 new recovery codes' }).click();
    await alice.waitForURL('**/settings/recovery-codes');
    const codes = await alice.locator('.recovery-codes code').allInnerTexts();
    expect(codes).to.have.length(10);
    await noSeriousProblems(alice);

    const later = await person();
    await later.goto('/login');
    await later.getByRole('link', { name: 'Use a recovery code' }).click();
    await noSeriousProblems(later);
    await later.getByLabel('Handle').fill('alice');
    await later.getByLabel('Recovery code').fill(codes[3]!);
    await later.getByLabel('New password').fill('a brand new password');
    await later.getByRole('button', { name: 'Set my new password' }).click();
    await later.waitForURL('**/login?recovered=1');
    expect(await later.getByRole('status').innerText()).to.contain('Your new password is set');
    await noSeriousProblems(later);
  });

  it('a steward makes a reset link on the members page, and it lets the member choose a new password', async () => {
    const steward = await person();
    await logInInBrowser(steward, 'river');
    await steward.goto('/steward/members');
    await noSeriousProblems(steward);
    await steward.getByLabel('Member’s handle').fill('alice');
    await steward.getByRole('button', { name: 'Make a reset link' }).click();
    const link = await steward.locator('.notice code').innerText();
    expect(link).to.match(/\/login\/reset\?token=/);
    await noSeriousProblems(steward);

    const alice = await person();
    await alice.goto(link.replace('http://localhost:3000', ''));
    await noSeriousProblems(alice);
    await alice.getByLabel('New password').fill(`${TEST_PASSWORD} again`);
    await alice.getByRole('button', { name: 'Set my new password' }).click();
    await alice.waitForURL('**/login?recovered=1');
  });
});
