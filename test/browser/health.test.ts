import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { launchChromium, logInInBrowser, seriousAxeViolations, serve } from '../helpers/browser.js';
import { freshHearth, withSteward } from '../helpers/test-hearth.js';

describe('the Health page in the browser', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;

  before(async () => {
    hearth = await freshHearth();
    await withSteward(hearth);
    server = await serve(hearth);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await hearth?.close();
  });

  async function noSeriousProblems(page: Page): Promise<void> {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${page.url()}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }

  it("a steward sees a failing server and retries its deliveries now; the page is accessible", async () => {
    await hearth.db.query(
      `INSERT INTO ap_deliveries (address, actor_id, signing_key, body, attempt, last_error, next_attempt_at)
       VALUES ('https://social.example/inbox', 'http://localhost:3000/u/river', 'key', '{}', 5, 'status 503', now() + interval '1 hour')`,
    );
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const steward = await context.newPage();
    await logInInBrowser(steward, 'river');
    await steward.goto('/steward');
    await steward.getByRole('navigation', { name: 'Steward tools' }).getByRole('link', { name: 'Health' }).click();
    await steward.waitForURL('**/steward/health');
    await noSeriousProblems(steward);
    const row = steward.getByRole('row', { name: /social\.example/ });
    expect(await row.innerText()).to.contain('status 503');
    await row.getByRole('button', { name: /Retry this server’s deliveries now/ }).click();
    await steward.waitForURL('**/steward/health?retried=1&host=social.example#servers');
    expect(await steward.getByRole('status').innerText()).to.contain('1 delivery to social.example will be tried again now');
    await noSeriousProblems(steward);
    await context.close();
  });
});
