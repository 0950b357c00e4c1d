import { expect } from 'chai';
import { mutedWordIn } from '../../../src/domain/members/muted-words.js';

describe('muted words', () => {
  it('finds whole words and phrases, ignoring case', () => {
    expect(mutedWordIn('I went to the Hospital today', ['hospital'])).to.equal('hospital');
    expect(mutedWordIn('a long   night shift', ['night shift'])).to.equal('night shift');
    expect(mutedWordIn('Café au lait', ['café'])).to.equal('café');
  });

  it('does not match inside other words, or when nothing is muted', () => {
    expect(mutedWordIn('hospitality', ['hospital'])).to.equal(undefined);
    expect(mutedWordIn('anything', [])).to.equal(undefined);
    expect(mutedWordIn('a+b (c)', ['(c)'])).to.equal('(c)');
  });
});
