import { expect } from 'chai';
import { ManualClock } from '../../../src/domain/clock.js';
import { DomainEvents } from '../../../src/domain/events.js';

describe('domain events', () => {
  const event = { threadId: 1, postId: 2, circleId: 3, authorId: 4 };

  it('calls every handler of an event in order', async () => {
    const events = new DomainEvents();
    const seen: string[] = [];
    events.on('thread.started', (e) => void seen.push(`a${e.postId}`));
    events.on('thread.started', async (e) => {
      await Promise.resolve();
      seen.push(`b${e.postId}`);
    });
    events.on('post.replied', () => void seen.push('wrong'));
    await events.emit('thread.started', event);
    expect(seen).to.deep.equal(['a2', 'b2']);
  });

  it('reports a failing handler without stopping the others', async () => {
    const failures: string[] = [];
    const events = new DomainEvents((_e, name) => failures.push(name));
    let reached = false;
    events.on('post.edited', () => {
      throw new Error('boom');
    });
    events.on('post.edited', () => {
      reached = true;
    });
    await events.emit('post.edited', event);
    expect(failures).to.deep.equal(['post.edited']);
    expect(reached).to.equal(true);
  });
});

describe('manual clock', () => {
  it('moves only when told', () => {
    const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
    expect(clock.now().toISOString()).to.equal('2026-03-01T00:00:00.000Z');
    clock.advance(3_600_000);
    expect(clock.now().toISOString()).to.equal('2026-03-01T01:00:00.000Z');
  });
});
