import { expect } from 'chai';
import { DEFAULT_POLICY } from '../../../moderation/index.js';
import { policyChanges, wordsOfPurpose } from '../../../moderation/rules/policy-changes.js';

describe('changes to a circle’s rules, for the public log', () => {
  it('names every field changed, before → after, and the filter words added and removed', () => {
    const before = { ...DEFAULT_POLICY, keywordFilters: ['buy now', 'casino'] };
    const after = { ...before, termDays: 730, quorumPercent: 100, quorumFallback: 'advisory' as const, firstPostsHeld: !before.firstPostsHeld, keywordFilters: ['casino', 'crypto'] };
    const changes = policyChanges(before, after);
    expect(changes).to.include(`moderators’ term: ${before.termDays} days → 730 days`);
    expect(changes).to.include(`quorum: ${before.quorumPercent}% → 100%`);
    expect(changes.some((c) => c.startsWith('when too few vote:') && c.endsWith('→ the result is advice only'))).to.equal(true);
    expect(changes.some((c) => c.startsWith('new members’ first posts:'))).to.equal(true);
    expect(changes).to.include('words that hold a post, added: “crypto”');
    expect(changes).to.include('words that hold a post, removed: “buy now”');
    expect(policyChanges(before, { ...before })).to.deep.equal([]);
  });

  it('finds filter words that are part of what the circle is for', () => {
    const circle = { name: 'Hearing voices', purpose: 'Talking about voices, visions and grief.' };
    expect(wordsOfPurpose(['voices', 'Grief', 'casino', 'hearing voices', 'vision'], circle)).to.deep.equal(['voices', 'Grief', 'hearing voices']);
  });
});
