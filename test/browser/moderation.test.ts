import { expect } from 'chai';
import { browserSuite, expectAccessible } from '../helpers/browser.js';
import { memberVisitor, openCircle, startThread } from '../helpers/test-hearth.js';
import { seatModerators } from '../integration/moderation/moderation-helpers.js';

describe('peer moderation in the browser', function () {
  this.timeout(120_000);
  const suite = browserSuite({ steward: true });
  let threadPath: string;

  before(async () => {
    await openCircle(suite.steward, 'voices', 'Hearing voices');
    for (const h of ['ash', 'birch', 'dawn', 'elm']) await memberVisitor(suite.hearth, h);
    await seatModerators(suite.hearth, 'voices', ['ash', 'birch'], new Date(Date.now() - 1000));
    const dawn = await memberVisitor(suite.hearth, 'fern');
    threadPath = await startThread(dawn, 'voices', { title: 'Listen up', body: 'Words that hurt someone here.' });
  });

  it('a member reports a post, one moderator hides it, a second confirms, and the public log shows both', async () => {
    const elm = await suite.person('elm');
    await elm.goto(threadPath);
    await elm.getByRole('link', { name: 'Report' }).click();
    await elm.waitForURL(/\/report\?post=\d+/);
    await expectAccessible(elm);
    await elm.getByLabel('Harassment or threats').check();
    await elm.getByLabel('A note for the peers').fill('This was aimed at me.');
    await elm.getByRole('button', { name: 'Send report' }).click();
    await elm.waitForURL('**/moderation?done=report');
    expect(await elm.getByRole('status').innerText()).to.contain('Your report was sent');
    expect(await elm.locator('#mine-title + ul').innerText()).to.contain('Waiting for a peer to look at it');
    await expectAccessible(elm);

    const ash = await suite.person('ash');
    await ash.goto('/moderation');
    await ash.getByRole('link', { name: 'Review queue of Hearing voices' }).click();
    await ash.waitForURL('**/c/voices/review');
    // Hard content stays folded until the moderator opens it.
    const folded = ash.locator('details', { hasText: 'The post (open to read)' }).first();
    expect(await folded.locator('.post-body').isVisible()).to.equal(false);
    await folded.locator('summary').click();
    expect(await folded.locator('.post-body').innerText()).to.contain('Words that hurt someone here.');
    await expectAccessible(ash);
    await ash.getByRole('link', { name: 'Act on the post' }).click();
    await ash.getByLabel('Hide the post').check();
    await ash.getByLabel('The agreement this relies on').selectOption({ index: 5 });
    await ash.getByLabel('Your reason').fill('It reads as a threat; hiding while we talk with them.');
    await expectAccessible(ash);
    await ash.getByRole('button', { name: 'Do this' }).click();
    await ash.waitForURL('**/c/voices/review');
    expect(await ash.locator('#awaiting-title + article').innerText()).to.contain('You took this action');

    const birch = await suite.person('birch');
    await birch.goto('/c/voices/review');
    await birch.getByRole('button', { name: 'Confirm' }).click();
    await birch.waitForURL('**/c/voices/review');
    expect(await birch.locator('#standing-title + ul').innerText()).to.contain('Hide the post');

    const visitor = await suite.person();
    await visitor.goto(threadPath);
    expect(await visitor.locator('.placeholder').first().innerText()).to.contain('isn’t shown right now');
    await visitor.goto('/c/voices/moderation');
    await expectAccessible(visitor);
    await visitor.getByRole('link', { name: 'The whole log' }).click();
    const log = await visitor.locator('.mod-log').innerText();
    expect(log).to.contain('Hid a post in “Listen up”.');
    expect(log).to.contain('A second moderator confirmed');
    expect(log).to.contain('Moderators: @ash, @birch');
    expect(log).to.contain('It reads as a threat');
    await expectAccessible(visitor);
    await visitor.goto('/c/voices/agreements');
    await expectAccessible(visitor);

    // A member proposes a change to the agreements, to be decided by consent.
    await ash.goto('/c/voices/moderation');
    await ash.getByRole('link', { name: 'Propose a change to the agreements' }).click();
    await expectAccessible(ash);
    await ash.getByLabel('Rewrite all our agreements').check();
    await ash.getByLabel('To rewrite them all: the agreements, one per line').fill('We listen first.\nNo advice unless asked.');
    await ash.getByLabel('Consent: it passes unless someone objects with a reason').check();
    await ash.getByRole('button', { name: 'Open the proposal' }).click();
    await ash.waitForURL(/\/proposals\/\d+$/);
    expect(await ash.locator('h1').innerText()).to.contain('New agreements for Hearing voices');
    await ash.getByLabel('I object (please say why)').check();
    await ash.getByRole('button', { name: 'Cast my vote' }).click();
    expect(await ash.locator('.error-summary').innerText()).to.contain('An objection needs a reason');
    await expectAccessible(ash);
    await ash.goto('/c/voices/rules');
    await expectAccessible(ash);

    // The author of the hidden post sees the action and appeals it.
    const fern = await suite.person('fern');
    await fern.goto('/moderation');
    expect(await fern.locator('#about-title + ul').innerText()).to.contain('Hide the post');
    await fern.getByRole('link', { name: 'Appeal this' }).click();
    await expectAccessible(fern);
    await fern.getByLabel('What you’d like them to know').fill('I was telling my own story.');
    await fern.getByRole('button', { name: 'Send my appeal' }).click();
    await fern.waitForURL('**/moderation?done=appeal');
    expect(await fern.getByRole('status').innerText()).to.contain('Your appeal was sent');
  });
});
