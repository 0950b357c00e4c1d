import { expect } from 'chai';
import { browserSuite, expectAccessible, expectAccessibleAt } from '../helpers/browser.js';
import { memberVisitor, openCircle } from '../helpers/test-hearth.js';

describe('the instance as its members govern it: pages usable and axe-clean (browser)', function () {
  this.timeout(180_000);
  const suite = browserSuite({ steward: true });

  it('proposes a new circle through the form, discusses it, and every page on the way is axe-clean', async () => {
    await openCircle(suite.steward, 'voices');
    const sky = await memberVisitor(suite.hearth, 'sky');
    await sky.submit('/c/voices/moderation', '/c/voices/join', {});

    await expectAccessibleAt(await suite.person(), '/stewards');
    const member = await suite.person('sky');
    await expectAccessibleAt(member, '/stewards');
    await expectAccessibleAt(member, '/agreements');
    await expectAccessibleAt(member, '/welcome');
    await expectAccessibleAt(member, '/c/voices/proposals/new');
    await expectAccessibleAt(member, '/proposals/new?kind=new_circle');
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
    await expectAccessible(member);

    const river = await suite.person('river');
    await expectAccessibleAt(river, '/c/voices/rules');
    await expectAccessibleAt(river, '/invites');
  });
});
