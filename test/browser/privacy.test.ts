import { expect } from 'chai';
import { browserSuite, expectAccessibleAt } from '../helpers/browser.js';
import { memberVisitor, openCircle, Visitor } from '../helpers/test-hearth.js';

describe('privacy by default: the pages are usable and axe-clean (browser)', function () {
  this.timeout(180_000);
  const suite = browserSuite();

  it('setup, privacy choices, the door of a members-only circle, its review page, a circle page and the moderation page', async () => {
    const visitor = await suite.person();
    await expectAccessibleAt(visitor, '/setup');
    expect(await visitor.getByLabel(/^Steward approval/).isChecked()).to.equal(true);

    const steward = new Visitor(suite.hearth);
    await steward.setUp('river');
    await openCircle(steward, 'voices');
    await openCircle(steward, 'inner', 'Inner room', 'members');
    await memberVisitor(suite.hearth, 'sky');

    const sky = await suite.person('sky');
    await expectAccessibleAt(sky, '/settings/profile');
    await sky.getByLabel('Let other servers suggest me').check();
    await sky.getByRole('button', { name: 'Save', exact: true }).click();
    await sky.waitForURL('**/settings/profile?saved=1');
    expect(await sky.getByLabel('Let other servers suggest me').isChecked()).to.equal(true);
    expect(await sky.getByLabel("Let other servers' search find my posts").isChecked()).to.equal(false);

    await expectAccessibleAt(sky, '/c/inner');
    await sky.getByRole('button', { name: 'Ask to join this circle' }).click();
    await sky.waitForURL('**/c/inner');
    expect(await sky.getByText('You asked to join').isVisible()).to.equal(true);
    await expectAccessibleAt(sky, '/c/voices');
    await expectAccessibleAt(sky, '/c/voices/new');
    await expectAccessibleAt(sky, '/moderation');

    const river = await suite.person('river');
    await expectAccessibleAt(river, '/c/inner/review');
    await river.getByRole('button', { name: 'Welcome @sky in' }).click();
    await river.waitForURL('**/c/inner/review');
    await sky.goto('/c/inner');
    expect(await sky.getByRole('link', { name: 'Start a thread' }).isVisible()).to.equal(true);
  });
});
