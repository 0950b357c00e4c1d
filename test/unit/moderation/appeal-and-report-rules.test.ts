import { expect } from 'chai';
import { chooseDeciders, decisionsNeeded, outcome } from '../../../moderation/rules/appeal-rules.js';
import { reportStatusText, reportTransition } from '../../../moderation/rules/report-rules.js';

describe('appeal rules', () => {
  it('goes to uninvolved moderators when at least two are left', () => {
    expect(chooseDeciders({ moderators: [1, 2, 3, 4], volunteers: [9], involved: new Set([1, 2]) })).to.deep.equal({ route: 'moderators', deciders: [3, 4] });
  });

  it('otherwise draws a random panel of volunteers, never anyone involved', () => {
    const seq = [0.99, 0.0, 0.5, 0.3];
    let i = 0;
    const random = () => seq[i++ % seq.length]!;
    const choice = chooseDeciders({ moderators: [1, 2, 3], volunteers: [1, 5, 6, 7, 8, 9], involved: new Set([1, 2, 5]), random });
    expect(choice.route).to.equal('panel');
    expect(choice.deciders).to.have.length(3);
    for (const d of choice.deciders) expect([1, 2, 5]).not.to.include(d);
    expect(new Set(choice.deciders).size).to.equal(3);
  });

  it('decides with two agreeing moderators or a panel majority; a split panel leaves the action standing', () => {
    expect(decisionsNeeded('moderators', 4)).to.equal(2);
    expect(decisionsNeeded('panel', 3)).to.equal(2);
    expect(outcome('moderators', 3, ['overturn'])).to.equal(undefined);
    expect(outcome('moderators', 3, ['overturn', 'overturn'])).to.equal('overturn');
    expect(outcome('panel', 2, ['overturn', 'uphold'])).to.equal('uphold');
    expect(outcome('panel', 3, ['uphold', 'uphold'])).to.equal('uphold');
  });
});

describe('report rules', () => {
  it('closes reports with what moderators did, once', () => {
    expect(reportTransition({ reason: 'harassment', status: 'open' }, { type: 'close', outcome: 'malicious' })).to.equal('closed');
    expect(reportTransition({ reason: 'harassment', status: 'closed' }, { type: 'close', outcome: 'acted' })).to.have.property('key', 'moderation.error.report_closed');
  });

  it('never tells the reporter that their report was called malicious', () => {
    expect(reportStatusText('closed', 'malicious')).to.equal(reportStatusText('closed', 'no_action'));
    expect(reportStatusText('open', null)).to.match(/Waiting/);
  });
});
