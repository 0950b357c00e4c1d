import { expect } from 'chai';
import { latestDigestTime } from '../../../src/domain/mail/digest-times.js';
import { UnsubscribeTokens } from '../../../src/domain/mail/unsubscribe-tokens.js';

describe('mail: digest times and unsubscribe tokens', () => {
  it('puts daily digests at 07:00 in the member’s zone, weekly ones on Monday at 07:00', () => {
    const tuesday = new Date('2026-01-06T10:00:00Z');
    expect(latestDigestTime(tuesday, 'UTC', 'daily').toISOString()).to.equal('2026-01-06T07:00:00.000Z');
    expect(latestDigestTime(new Date('2026-01-06T06:59:00Z'), 'UTC', 'daily').toISOString()).to.equal('2026-01-05T07:00:00.000Z');
    expect(latestDigestTime(tuesday, 'UTC', 'weekly').toISOString()).to.equal('2026-01-05T07:00:00.000Z');
    expect(latestDigestTime(new Date('2026-01-05T06:00:00Z'), 'UTC', 'weekly').toISOString(), 'Monday before 7: last week’s').to.equal('2025-12-29T07:00:00.000Z');
    expect(latestDigestTime(tuesday, 'Europe/Berlin', 'daily').toISOString()).to.equal('2026-01-06T06:00:00.000Z');
    expect(latestDigestTime(tuesday, 'America/New_York', 'daily').toISOString(), '05:00 there: yesterday’s').to.equal('2026-01-05T12:00:00.000Z');
    // Across a change of clocks (Berlin, last Sunday of March): 07:00 local is 05:00 UTC afterwards.
    expect(latestDigestTime(new Date('2026-03-30T12:00:00Z'), 'Europe/Berlin', 'daily').toISOString()).to.equal('2026-03-30T05:00:00.000Z');
  });

  it('reads back what it signed, and nothing changed or signed with another secret', () => {
    const tokens = new UnsubscribeTokens('a secret long enough for tests');
    for (const scope of [{ kind: 'reply' as const }, { cadence: 'daily' as const }, { all: true as const }]) {
      expect(tokens.read(tokens.make(7, scope))).to.deep.equal({ memberId: 7, scope });
    }
    const token = tokens.make(7, { kind: 'reply' });
    const [payload, signature] = token.split('.');
    const other = Buffer.from('8|k:reply').toString('base64url');
    expect(tokens.read(`${other}.${signature}`)).to.equal(undefined);
    expect(tokens.read(`${payload}.${signature!.slice(1)}`)).to.equal(undefined);
    expect(tokens.read(new UnsubscribeTokens('another secret').make(7, { kind: 'reply' }))).to.equal(undefined);
    expect(tokens.read('')).to.equal(undefined);
    expect(tokens.read('a.b.c')).to.equal(undefined);
  });
});
