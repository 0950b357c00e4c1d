import { expect } from 'chai';
import { browserSuite, expectAccessible, TEST_PASSWORD } from '../helpers/browser.js';

describe('passwords and recovery in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });

  it('a member makes recovery codes and uses one to get back in; the pages are accessible', async () => {
    const alice = await suite.newcomer('alice');
    await alice.goto('/settings/password');
    await expectAccessible(alice);
    await alice.getByLabel('Current password').fill('not my password');
    await alice.getByLabel('New password').fill('a brand new password');
    await alice.getByRole('button', { name: 'Change my password' }).click();
    expect(await alice.locator('.error-summary').innerText()).to.contain('Some of what you entered');
    await expectAccessible(alice);

    await alice.getByRole('button', { name: 'Make 10 new recovery codes' }).click();
    await alice.waitForURL('**/settings/recovery-codes');
    const codes = await alice.locator('.recovery-codes code').allInnerTexts();
    expect(codes).to.have.length(10);
    await expectAccessible(alice);

    const later = await suite.person();
    await later.goto('/login');
    await later.getByRole('link', { name: 'Use a recovery code' }).click();
    await expectAccessible(later);
    await later.getByLabel('Handle').fill('alice');
    await later.getByLabel('Recovery code').fill(codes[3]!);
    await later.getByLabel('New password').fill('a brand new password');
    await later.getByRole('button', { name: 'Set my new password' }).click();
    await later.waitForURL('**/login?recovered=1');
    expect(await later.getByRole('status').innerText()).to.contain('Your new password is set');
    await expectAccessible(later);
  });

  it('a steward makes a reset link on the members page, and it lets the member choose a new password', async () => {
    const steward = await suite.person('river');
    await steward.goto('/steward/members');
    await expectAccessible(steward);
    await steward.getByLabel('Member’s handle').fill('alice');
    await steward.getByRole('button', { name: 'Make a reset link' }).click();
    const link = await steward.locator('.notice code').innerText();
    expect(link).to.match(/\/login\/reset\?token=/);
    await expectAccessible(steward);

    const alice = await suite.person();
    await alice.goto(link.replace('http://localhost:3000', ''));
    await expectAccessible(alice);
    await alice.getByLabel('New password').fill(`${TEST_PASSWORD} again`);
    await alice.getByRole('button', { name: 'Set my new password' }).click();
    await alice.waitForURL('**/login?recovered=1');
  });
});
