import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hearth } from '../../src/app.js';
import { insertNotification } from '../../src/storage/repositories/notification-repository.js';
import { launchChromium, registerInBrowser, seriousAxeViolations, serve } from '../helpers/browser.js';
import { linkIn, MailCatcher } from '../helpers/mail-catcher.js';
import { freshHearth, withSteward } from '../helpers/test-hearth.js';

describe('mail settings, links from mail and "forgot my password" in the browser', function () {
  this.timeout(180_000);
  let hearth: Hearth;
  let catcher: MailCatcher;
  let server: { baseUrl: string; close: () => Promise<void> };
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(async () => {
    catcher = new MailCatcher();
    await catcher.start();
    hearth = await freshHearth({ env: { SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, MAIL_FROM: 'hearth@example.org' } });
    await withSteward(hearth);
    server = await serve(hearth);
    browser = await launchChromium();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await hearth?.close();
    await catcher?.stop();
  });

  async function noSeriousProblems(page: Page): Promise<void> {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${page.url()}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }

  it('a member adds and checks an address, chooses what reaches them, and stops it from a mail; every page is accessible', async () => {
    context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    await registerInBrowser(page, 'alice');
    await page.goto('/settings/profile');
    await page.getByRole('link', { name: 'mail from Hearth' }).click();
    await page.waitForURL('**/settings/mail');
    await noSeriousProblems(page);

    await page.getByLabel('Address').fill('not an address');
    await page.getByRole('button', { name: 'Send me a link to check it' }).click();
    expect(await page.locator('.error-summary').innerText()).to.contain('doesn’t look like an e-mail address');
    await noSeriousProblems(page);
    await page.getByLabel('Address').fill('alice@example.org');
    await page.getByRole('button', { name: 'Send me a link to check it' }).click();
    await page.waitForURL('**/settings/mail?sent=1');
    await noSeriousProblems(page);

    await page.goto(linkIn(catcher.to('alice@example.org')[0]!, '/mail/verify?token='));
    expect(await page.locator('h1').innerText()).to.equal('Your address is checked');
    await noSeriousProblems(page);

    await page.goto('/settings/mail');
    await page.getByLabel('Replies to your threads and posts').selectOption('now');
    await page.getByRole('button', { name: 'Save what reaches me' }).click();
    await page.waitForURL('**/settings/mail?saved=1');
    await noSeriousProblems(page);

    const [row] = await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'");
    await insertNotification(hearth.db, { memberId: row!.id, kind: 'reply', link: '/' }, new Date());
    expect(await hearth.channels[0]!.deliverDue()).to.equal(1);
    await page.goto(linkIn(catcher.to('alice@example.org')[1]!, '/mail/unsubscribe?token='));
    await noSeriousProblems(page);
    await page.getByRole('button', { name: 'Stop mail about “Replies to your threads and posts”' }).click();
    expect(await page.locator('main').innerText()).to.contain('won’t be sent any more');
    await noSeriousProblems(page);
  });

  it('"forgot my password" is reached from the login page and is accessible', async () => {
    const visitor = await (await browser.newContext({ baseURL: server.baseUrl })).newPage();
    await visitor.goto('/login');
    await visitor.getByRole('link', { name: 'Get a link by mail' }).click();
    await noSeriousProblems(visitor);
    await visitor.getByLabel('Handle').fill('alice');
    await visitor.getByRole('button', { name: 'Send me a link' }).click();
    await visitor.waitForURL('**/login/forgot/sent');
    expect(await visitor.getByRole('status').innerText()).to.contain('a link to choose a new password is on its way');
    await noSeriousProblems(visitor);
    await hearth.services.mail!.idle();
    await visitor.goto(linkIn(catcher.to('alice@example.org').at(-1)!, '/login/reset?token='));
    expect(await visitor.getByRole('button', { name: 'Set my new password' }).count()).to.equal(1);
    await visitor.context().close();
  });
});
