import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** Everything a member types into every section of the settings page. */
const TYPED = {
  displayName: 'Wren Alder',
  pronouns: 'she/her',
  bio: 'Here on Tuesdays.\nI like long walks.',
  email: 'wren@example.org',
  cwDisplay: 'unfolded',
  mutedWords: 'hospital\nnight shift',
  // profileListed left unticked (a form sends nothing for it)
  federatePosts: 'on',
  timeZone: 'Europe/Berlin',
};

describe('the profile settings: one form, one Save', () => {
  let hearth: Hearth;
  let wren: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    await withSteward(hearth);
    wren = await memberVisitor(hearth, 'wren');
  });
  afterEach(() => hearth.close());

  it('has one form with one Save button for every section', async () => {
    const page = (await wren.get('/settings/profile')).text;
    expect(page.match(/<form method="post" action="\/settings\/profile"/g)).to.have.length(1);
    const form = page.slice(page.indexOf('<form method="post" action="/settings/profile"'), page.indexOf('</form>', page.indexOf('action="/settings/profile"')));
    for (const field of ['displayName', 'pronouns', 'bio', 'email', 'cwDisplay', 'mutedWords', 'profileListed', 'federatePosts', 'timeZone']) {
      expect(form, field).to.contain(`name="${field}"`);
    }
    expect(form.match(/<button type="submit"/g)).to.have.length(1);
  });

  it('keeps everything typed in every section when one section has a problem, saves nothing, and saves it all once fixed', async () => {
    const refused = await wren.submit('/settings/profile', '/settings/profile', { ...TYPED, email: 'not an address' });
    expect(refused.status).to.equal(400);
    expect(refused.text).not.to.contain('Saved.');
    expect(refused.text).to.contain('look like an e-mail address');
    // Every section still holds what was typed.
    expect(refused.text).to.contain('value="Wren Alder"');
    expect(refused.text).to.contain('value="she/her"');
    expect(refused.text).to.contain('>Here on Tuesdays.\nI like long walks.</textarea>');
    expect(refused.text).to.contain('value="not an address"');
    expect(refused.text).to.match(/id="cw-unfolded" name="cwDisplay" value="unfolded" checked/);
    expect(refused.text).to.contain('>hospital\nnight shift</textarea>');
    expect(refused.text).to.match(/id="profileListed" name="profileListed" >/);
    expect(refused.text).to.match(/id="federatePosts" name="federatePosts" checked>/);
    expect(refused.text).to.match(/<option value="Europe\/Berlin" selected>/);
    // Nothing was saved.
    let saved = (await hearth.services.members.getByHandle('wren'))!;
    expect(saved.displayName).to.equal('');
    expect(saved.timeZone).to.equal(null);
    expect(saved.profileListed).to.equal(true);

    const fixed = await wren.submit('/settings/profile', '/settings/profile', { ...TYPED });
    expect(fixed.status).to.equal(303);
    expect(fixed.headers.location).to.equal('/settings/profile?saved=1');
    const page = (await wren.get('/settings/profile?saved=1')).text;
    expect(page).to.contain('Saved.');
    expect(page).to.contain('value="Wren Alder"');
    expect(page).to.contain('value="wren@example.org"');
    expect(page).to.match(/id="cw-unfolded" name="cwDisplay" value="unfolded" checked/);
    expect(page).to.contain('>hospital\nnight shift</textarea>');
    expect(page).to.match(/id="profileListed" name="profileListed" >/);
    expect(page).to.match(/<option value="Europe\/Berlin" selected>/);
    saved = (await hearth.services.members.getByHandle('wren'))!;
    expect(saved).to.include({ displayName: 'Wren Alder', pronouns: 'she/her', email: 'wren@example.org', cwDisplay: 'unfolded', profileListed: false, federatePosts: true, timeZone: 'Europe/Berlin' });
    expect(saved.mutedWords).to.deep.equal(['hospital', 'night shift']);
  });

  it('names a problem in every section at once', async () => {
    const res = await wren.submit('/settings/profile', '/settings/profile', { ...TYPED, displayName: 'x'.repeat(81), cwDisplay: 'sideways', timeZone: 'Atlantis' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('at most 80 characters');
    expect(res.text).to.contain('Choose how content warnings show.');
    expect(res.text).to.contain('Hearth doesn’t know that time zone');
  });

  it('brings anything still sent to the old section addresses to the one form, saving nothing', async () => {
    for (const old of ['/settings/preferences', '/settings/privacy']) {
      const res = await wren.submit('/settings/profile', old, { cwDisplay: 'unfolded', mutedWords: 'x' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(/^\/settings\/profile#/);
    }
    expect((await hearth.services.members.getByHandle('wren'))!.cwDisplay).to.equal('folded');
  });
});
