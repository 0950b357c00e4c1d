import { expect } from 'chai';
import { ValidationError } from '../../../src/domain/errors.js';
import { readSearchRequest } from '../../../src/domain/search/search-request.js';
import { splitHeadline } from '../../../src/domain/search/search.js';

const S = '\uE000';
const E = '\uE001';

describe('search: reading the address and splitting snippets', () => {
  it('splits a headline into plain pieces, the matches marked', () => {
    expect(splitHeadline(`a ${S}b${E} c ${S}d${E}`, S, E)).to.deep.equal([
      { text: 'a ', match: false },
      { text: 'b', match: true },
      { text: ' c ', match: false },
      { text: 'd', match: true },
    ]);
    expect(splitHeadline('<script>', S, E)).to.deep.equal([{ text: '<script>', match: false }]);
    expect(splitHeadline(`${S}open to the end`, S, E)).to.deep.equal([{ text: 'open to the end', match: true }]);
    expect(splitHeadline('', S, E)).to.deep.equal([]);
  });

  it('reads words and filters, tidied', () => {
    expect(readSearchRequest({ q: '  two   words ', circle: 'Voices', author: '@Alice@Example.org', from: '2026-03-01', to: '2026-03-31', page: '2' })).to.deep.equal({
      q: 'two words',
      circle: 'voices',
      author: 'alice@example.org',
      from: '2026-03-01',
      to: '2026-03-31',
      page: 2,
    });
    expect(readSearchRequest({})).to.deep.equal({ q: '', circle: '', author: '', from: '', to: '', page: 1 });
  });

  it('refuses what it cannot use, each problem by its field', () => {
    const fields = (raw: unknown) => {
      try {
        readSearchRequest(raw);
      } catch (error) {
        if (error instanceof ValidationError) return Object.keys(error.fields);
        throw error;
      }
      return [];
    };
    expect(fields({ from: '2026-02-29' })).to.deep.equal(['from']);
    expect(fields({ from: '2028-02-29' })).to.deep.equal([]);
    expect(fields({ to: '26-1-1' })).to.deep.equal(['to']);
    expect(fields({ from: '2026-05-02', to: '2026-05-01' })).to.deep.equal(['to']);
    expect(fields({ page: '0' })).to.deep.equal(['page']);
    expect(fields({ page: '51' })).to.deep.equal(['page']);
    expect(fields({ q: ['a', 'b'] })).to.deep.equal(['q']);
    expect(fields({ circle: 'no spaces here' })).to.deep.equal(['circle']);
    expect(fields({ author: 'a b' })).to.deep.equal(['author']);
    expect(fields({ q: 'x'.repeat(201) })).to.deep.equal(['q']);
  });
});
