import { expect } from 'chai';
import { checkBallot, close, quorumFor, tally } from '../../../moderation/rules/proposal-rules.js';
import type { MessageRef } from '../../../src/i18n/message.js';
import { textIn } from '../../../src/i18n/translate.js';

const words = (problem: MessageRef | null): string => (problem ? textIn('en', problem) : '');

const b = (choice: string, reason = '') => ({ choice, reason });

describe('proposal rules', () => {
  it('counts a majority vote: yes must outnumber no; abstentions count for quorum only', () => {
    const t = tally({ kind: 'agreements', mode: 'majority', ballots: [b('yes'), b('no'), b('abstain'), b('yes')], quorum: 3 });
    expect(t).to.include({ turnout: 4, quorumMet: true, carries: true });
    expect(t.totals).to.deep.equal({ yes: 2, no: 1, abstain: 1 });
    expect(tally({ kind: 'agreements', mode: 'majority', ballots: [b('yes'), b('no')], quorum: 1 }).carries).to.equal(false);
  });

  it('passes a consent decision unless someone objects, and needs no quorum', () => {
    expect(tally({ kind: 'agreements', mode: 'consent', ballots: [], quorum: 5 })).to.include({ quorumMet: true, carries: true });
    expect(tally({ kind: 'agreements', mode: 'consent', ballots: [b('consent'), b('object', 'too vague')], quorum: 5 })).to.include({ carries: false, objections: 1 });
  });

  it('elects the most-voted candidates and seats nobody in a tie for the last seat', () => {
    const win = tally({ kind: 'election', mode: 'majority', ballots: [b('1'), b('1'), b('2'), b('3'), b('3')], quorum: 1, candidates: ['1', '2', '3'], seats: 2 });
    expect(win.winners).to.deep.equal(['1', '3']);
    const tie = tally({ kind: 'election', mode: 'majority', ballots: [b('1'), b('1'), b('2'), b('3')], quorum: 1, candidates: ['1', '2', '3'], seats: 2 });
    expect(tie.winners).to.deep.equal(['1']);
    const none = tally({ kind: 'election', mode: 'majority', ballots: [b('abstain')], quorum: 1, candidates: ['1'], seats: 1 });
    expect(none.carries).to.equal(false);
  });

  it('applies the circle’s fallback when quorum is not reached', () => {
    const low = tally({ kind: 'agreements', mode: 'majority', ballots: [b('yes')], quorum: 3 });
    expect(close(low, 'stands', false).status).to.equal('passed');
    expect(close(low, 'advisory', false).status).to.equal('advisory');
    expect(close(low, 'extend', false).status).to.equal('extend');
    expect(close(low, 'extend', true).status).to.equal('no_quorum');
    const enough = tally({ kind: 'agreements', mode: 'majority', ballots: [b('no'), b('no'), b('yes')], quorum: 3 });
    expect(close(enough, 'extend', false).status).to.equal('rejected');
  });

  it('computes quorums as whole ballots, at least one when anyone can vote', () => {
    expect(quorumFor(0, 20)).to.equal(0);
    expect(quorumFor(3, 20)).to.equal(1);
    expect(quorumFor(11, 20)).to.equal(3);
    expect(quorumFor(10, 0)).to.equal(1);
  });

  it('refuses ballots that don’t fit the proposal', () => {
    expect(words(checkBallot({ kind: 'agreements', mode: 'majority' }, b('maybe')))).to.match(/yes, no or abstain/);
    expect(words(checkBallot({ kind: 'agreements', mode: 'consent' }, b('object')))).to.match(/needs a reason/);
    expect(checkBallot({ kind: 'agreements', mode: 'consent' }, b('object', 'why'))).to.equal(null);
    expect(words(checkBallot({ kind: 'election', mode: 'majority', candidates: ['5'] }, b('6')))).to.match(/people standing/);
    expect(checkBallot({ kind: 'election', mode: 'majority', candidates: ['5'] }, b('abstain'))).to.equal(null);
  });
});
