import { expect } from 'chai';
import { browserSuite, expectAccessible, expectAccessibleAt } from '../helpers/browser.js';
import { memberVisitor, openCircle, startThread } from '../helpers/test-hearth.js';

describe('check-ins: asking, offering, writing with the shared plan, and writing back, axe-clean (browser)', function () {
  this.timeout(180_000);
  const suite = browserSuite({ steward: true });

  it('goes from a post to a peer’s check-in and a reply', async () => {
    await openCircle(suite.steward, 'voices');
    const dawnV = await memberVisitor(suite.hearth, 'dawn');
    await memberVisitor(suite.hearth, 'elm');
    await memberVisitor(suite.hearth, 'fern');
    const threadPath = await startThread(dawnV, 'voices', { title: 'A rough week', body: 'Everything feels heavy.' });
    await dawnV.submit('/settings/what-helps-me', '/settings/what-helps-me', { helps: 'A text, not a call.', doesNotHelp: '', earlySigns: '', hearFrom: '', anythingElse: '' });
    await dawnV.submit('/settings/what-helps-me', '/settings/what-helps-me/shares', { shareHandle: 'fern' });

    const fern = await suite.person('fern');
    await expectAccessibleAt(fern, '/check-ins');
    await fern.getByLabel('I’d like to check in on people when someone asks').check();
    await fern.getByRole('button', { name: 'Save', exact: true }).click();
    await fern.waitForURL('**/check-ins?done=volunteer#offer');

    const elm = await suite.person('elm');
    await elm.goto(threadPath);
    await elm.getByRole('link', { name: 'Ask a peer to check in' }).click();
    await expectAccessible(elm);
    await elm.getByLabel('A few words for the peer who’ll write to them (optional)').fill('They sound very low.');
    await elm.getByRole('button', { name: 'Ask a peer to check in' }).click();
    await elm.waitForURL('**/check-ins?done=asked');
    await expectAccessible(elm);

    await expectAccessibleAt(fern, '/check-ins/waiting');
    await fern.getByRole('link', { name: 'Write to @dawn' }).click();
    await expectAccessible(fern);
    expect(await fern.getByRole('heading', { name: 'What helps @dawn, in their words' }).isVisible()).to.equal(true);
    await fern.getByLabel('Your message to @dawn').fill('Here if you want to talk.');
    await fern.getByRole('button', { name: 'Send my check-in' }).click();
    await fern.waitForURL('**/check-ins/waiting?sent=1');

    const dawn = await suite.person('dawn');
    await expectAccessibleAt(dawn, '/check-ins');
    expect(await dawn.locator('#messages').innerText()).to.contain('Here if you want to talk.');
    await dawn.getByLabel('Write back to @fern (only if you want to)').fill('Thank you.');
    await dawn.getByRole('button', { name: 'Send', exact: true }).click();
    await dawn.waitForURL('**/check-ins?done=reply#messages');
    expect(await dawn.getByRole('status').innerText()).to.contain('Your reply was sent.');
  });
});
