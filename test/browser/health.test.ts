import { expect } from 'chai';
import { browserSuite, expectAccessible } from '../helpers/browser.js';

describe('the Health page in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });

  it("a steward sees a failing server and retries its deliveries now; the page is accessible", async () => {
    await suite.hearth.db.query(
      `INSERT INTO ap_deliveries (address, actor_id, signing_key, body, attempt, last_error, next_attempt_at)
       VALUES ('https://social.example/inbox', 'http://localhost:3000/u/river', 'key', '{}', 5, 'status 503', now() + interval '1 hour')`,
    );
    const steward = await suite.person('river');
    await steward.goto('/steward');
    await steward.getByRole('navigation', { name: 'Steward tools' }).getByRole('link', { name: 'Health' }).click();
    await steward.waitForURL('**/steward/health');
    await expectAccessible(steward);
    const row = steward.getByRole('row', { name: /social\.example/ });
    expect(await row.innerText()).to.contain('status 503');
    await row.getByRole('button', { name: /Retry this server’s deliveries now/ }).click();
    await steward.waitForURL('**/steward/health?retried=1&host=social.example#servers');
    expect(await steward.getByRole('status').innerText()).to.contain('1 delivery to social.example will be tried again now');
    await expectAccessible(steward);
  });
});
