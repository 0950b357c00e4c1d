import { expect } from 'chai';
import { handleProblem as problemRef, normalizeHandle } from '../../../src/domain/handles.js';
import { textIn } from '../../../src/i18n/translate.js';

/** The problem in English, or undefined. */
const handleProblem = (...args: Parameters<typeof problemRef>): string | undefined => {
  const problem = problemRef(...args);
  return problem === undefined ? undefined : textIn('en', problem);
};

describe('handles', () => {
  it('normalises case, spaces and a leading @', () => {
    expect(normalizeHandle('  @River_Song ')).to.equal('river_song');
  });

  it('accepts letters, digits and underscores starting with a letter', () => {
    for (const ok of ['ab', 'river', 'voices_2', 'a'.repeat(30)]) expect(handleProblem(ok, 'handle'), ok).to.equal(undefined);
  });

  it('explains what is wrong with unusable handles', () => {
    expect(handleProblem('a', 'handle')).to.contain('2 to 30 characters');
    expect(handleProblem('a'.repeat(31), 'handle')).to.contain('2 to 30 characters');
    expect(handleProblem('9lives', 'handle')).to.contain('starts with a letter');
    expect(handleProblem('with-dash', 'address')).to.contain('lower-case');
    expect(handleProblem('émile', 'handle')).to.contain('lower-case');
    expect(handleProblem('setup', 'handle')).to.contain('kept for Hearth');
  });
});
