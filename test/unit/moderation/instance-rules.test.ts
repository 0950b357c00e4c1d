import { expect } from 'chai';
import { agreementChangeTitle, applyAgreementChange, parseSetting, settingText, settingWords } from '../../../moderation/rules/instance-rules.js';
import { textIn } from '../../../src/i18n/translate.js';

/** A refusal's words in a language. */
function problemIn(locale: 'en' | 'de', result: object): string | undefined {
  return 'problem' in result ? textIn(locale, (result as { problem: Parameters<typeof textIn>[1] }).problem) : undefined;
}

describe('single agreement changes and the instance’s rules', () => {
  const items = ['One.', 'Two.', 'Three.'];

  it('amends, adds and removes one agreement, counting from 1', () => {
    expect(applyAgreementChange(items, { change: 'amend', number: 2, text: 'Deux.' })).to.deep.equal({ items: ['One.', 'Deux.', 'Three.'] });
    expect(applyAgreementChange(items, { change: 'add', text: 'Four.' })).to.deep.equal({ items: ['One.', 'Two.', 'Three.', 'Four.'] });
    expect(applyAgreementChange(items, { change: 'remove', number: 1 })).to.deep.equal({ items: ['Two.', 'Three.'] });
    expect(items).to.deep.equal(['One.', 'Two.', 'Three.']);
  });

  it('refuses numbers that are not there, removing the last agreement, and a 31st', () => {
    expect(problemIn('en', applyAgreementChange(items, { change: 'remove', number: 4 }))).to.equal('There is no agreement number 4.');
    expect(problemIn('de', applyAgreementChange(items, { change: 'remove', number: 4 }))).to.equal('Es gibt keine Vereinbarung Nummer 4.');
    expect(applyAgreementChange(items, { change: 'amend', number: 0, text: 'x' })).to.have.property('problem');
    expect(applyAgreementChange(['Only.'], { change: 'remove', number: 1 })).to.have.property('problem');
    expect(applyAgreementChange(Array.from({ length: 30 }, (_, i) => `A${i}`), { change: 'add', text: 'More.' })).to.have.property('problem');
  });

  it('reads rule values and says them in words', () => {
    expect(parseSetting('welcomeTeam', 'on')).to.deep.equal({ value: true });
    expect(parseSetting('memberInvites', 'No')).to.deep.equal({ value: false });
    expect(parseSetting('welcomeTeam', 'maybe')).to.have.property('problem');
    expect(parseSetting('stewardTermDays', '180')).to.deep.equal({ value: 180 });
    expect(problemIn('en', parseSetting('stewardTermDays', '5'))).to.equal('Please give a whole number from 30 to 730.');
    expect(settingWords('memberInvites', true)).to.equal('any member');
    expect(settingWords('stewardTermDays', 365)).to.equal('365 days');
    expect(textIn('de', settingText('stewardTermDays', 365))).to.equal('365 Tage');
    expect(textIn('es', settingText('memberInvites', true))).to.equal('cualquier miembro');
    expect(agreementChangeTitle({ change: 'remove', number: 3 }, null)).to.equal('Remove agreement 3 from the instance');
    expect(agreementChangeTitle({ change: 'amend', number: 2, text: 'x' }, 'Stimmen', 'de')).to.equal('Vereinbarung 2 von Stimmen ändern');
  });
});
