import { expect } from 'chai';
import { createPageCache } from '../../../src/web/page-cache.js';

/** The page cache's change clock, which visitors' pages, pieces of members' pages and members' kept pages all follow. */
describe('the change clock caches follow', () => {
  const fresh = () => {
    const cache = createPageCache({ sessionCookie: 'hearth.sid', ttlMs: 30_000, maxBytes: 1024 * 1024 });
    return { cache, clock: cache.clock };
  };

  it('moves a key’s version with changes that name it or everything, and with nothing else', () => {
    const { cache, clock } = fresh();
    const start = clock.now();
    const before = clock.lastChange('thread:1');
    cache.invalidate(['thread:2']);
    expect(clock.lastChange('thread:1')).to.equal(before);
    expect(clock.changedSince(start, ['thread:1'])).to.equal(false);
    expect(clock.changedSince(start, ['thread:2'])).to.equal(true);
    cache.invalidate(['thread:1', 'circle:1']);
    expect(clock.lastChange('thread:1')).to.be.above(before);
    const afterNamed = clock.now();
    cache.invalidate();
    expect(clock.changedSince(afterNamed, ['thread:9'])).to.equal(true);
    expect(clock.lastChange('thread:9')).to.equal(clock.now());
  });

  it('counts a key it no longer remembers as changed, never as older than it was', () => {
    const { cache, clock } = fresh();
    const read = clock.now();
    cache.invalidate(['thread:1']);
    const version = clock.lastChange('thread:1');
    // Far more keys change than the clock remembers one by one: thread:1, changed after the reading, is forgotten.
    for (let i = 2; i <= 20_001; i++) cache.invalidate([`thread:${i}`]);
    expect(clock.lastChange('thread:1')).to.be.at.least(version);
    expect(clock.changedSince(read, ['thread:1'])).to.equal(true);
    // A key that never changed stays as it was, whatever else was forgotten, until everything changes.
    expect(clock.changedSince(clock.now(), ['thread:1'])).to.equal(false);
  });
});
