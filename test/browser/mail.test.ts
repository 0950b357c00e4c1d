import { expect } from 'chai';
import { insertNotification } from '../../src/storage/repositories/notification-repository.js';
import { browserSuite, expectAccessible } from '../helpers/browser.js';
import { linkIn, MailCatcher } from '../helpers/mail-catcher.js';
import { freshHearth } from '../helpers/test-hearth.js';

describe('mail settings, links from mail and "forgot my password" in the browser', function () {
  this.timeout(180_000);
  const catcher = new MailCatcher();
  before(() => catcher.start());
  const suite = browserSuite({
    hearth: () => freshHearth({ env: { SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, MAIL_FROM: 'hearth@example.org' } }),
    steward: true,
  });
  after(() => catcher.stop());

  it('a member adds and checks an address, chooses what reaches them, and stops it from a mail; every page is accessible', async () => {
    const page = await suite.newcomer('alice');
    await page.goto('/settings/profile');
    await page.getByRole('link', { name: 'mail from Hearth' }).click();
    await page.waitForURL('**/settings/mail');
    await expectAccessible(page);

    await page.getByLabel('Address').fill('not an address');
    await page.getByRole('button', { name: 'Send me a link to check it' }).click();
    expect(await page.locator('.error-summary').innerText()).to.contain('doesn’t look like an e-mail address');
    await expectAccessible(page);
    await page.getByLabel('Address').fill('alice@example.org');
    await page.getByRole('button', { name: 'Send me a link to check it' }).click();
    await page.waitForURL('**/settings/mail?sent=1');
    await expectAccessible(page);

    await page.goto(linkIn(catcher.to('alice@example.org')[0]!, '/mail/verify?token='));
    expect(await page.locator('h1').innerText()).to.equal('Your address is checked');
    await expectAccessible(page);

    await page.goto('/settings/mail');
    await page.getByLabel('Replies to your threads and posts').selectOption('now');
    await page.getByRole('button', { name: 'Save what reaches me' }).click();
    await page.waitForURL('**/settings/mail?saved=1');
    await expectAccessible(page);

    const [row] = await suite.hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'");
    await insertNotification(suite.hearth.db, { memberId: row!.id, kind: 'reply', link: '/' }, new Date());
    expect(await suite.hearth.channels[0]!.deliverDue()).to.equal(1);
    await page.goto(linkIn(catcher.to('alice@example.org')[1]!, '/mail/unsubscribe?token='));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Stop mail about “Replies to your threads and posts”' }).click();
    expect(await page.locator('main').innerText()).to.contain('won’t be sent any more');
    await expectAccessible(page);
  });

  it('"forgot my password" is reached from the login page and is accessible', async () => {
    const visitor = await suite.person();
    await visitor.goto('/login');
    await visitor.getByRole('link', { name: 'Get a link by mail' }).click();
    await expectAccessible(visitor);
    await visitor.getByLabel('Handle').fill('alice');
    await visitor.getByRole('button', { name: 'Send me a link' }).click();
    await visitor.waitForURL('**/login/forgot/sent');
    expect(await visitor.getByRole('status').innerText()).to.contain('a link to choose a new password is on its way');
    await expectAccessible(visitor);
    await suite.hearth.services.mail!.idle();
    await visitor.goto(linkIn(catcher.to('alice@example.org').at(-1)!, '/login/reset?token='));
    expect(await visitor.getByRole('button', { name: 'Set my new password' }).count()).to.equal(1);
  });
});
