import { expect } from 'chai';
import { canKeepCircle } from '../../../src/domain/circles/circle-keepers.js';
import type { Member } from '../../../src/domain/members/member.js';
import { endsBy, firstStart, monthlyPosition, upcomingOccurrences, type Schedule } from '../../../src/domain/meetings/recurrence.js';
import { canonicalTimeZone, isoInZone, parseCivilDate, parseCivilTime, zonedInstant } from '../../../src/domain/meetings/zoned-time.js';

const weekly: Schedule = {
  startDate: '2027-03-16',
  startTime: '19:00',
  timeZone: 'Europe/Berlin',
  durationMinutes: 90,
  recurrence: 'weekly',
  repeatUntil: null,
};

const isoStarts = (s: Schedule, after: string, limit = 6) =>
  upcomingOccurrences(s, new Date(after), { limit }).map((o) => isoInZone(o.start, s.timeZone));

describe('meeting times in their own time zone', () => {
  it('keeps a weekly 19:00 Berlin meeting at 19:00 local across the end of March (the UTC time moves)', () => {
    const found = upcomingOccurrences(weekly, new Date('2027-03-20T00:00:00Z'), { limit: 3 });
    expect(found.map((o) => o.start.toISOString())).to.deep.equal(['2027-03-23T18:00:00.000Z', '2027-03-30T17:00:00.000Z', '2027-04-06T17:00:00.000Z']);
    expect(found.map((o) => isoInZone(o.start, 'Europe/Berlin'))).to.deep.equal([
      '2027-03-23T19:00:00+01:00',
      '2027-03-30T19:00:00+02:00',
      '2027-04-06T19:00:00+02:00',
    ]);
    expect(found[0]!.end.toISOString()).to.equal('2027-03-23T19:30:00.000Z');
  });

  it('and back at the end of October, and in a zone whose clocks change on other days (New York)', () => {
    expect(isoStarts({ ...weekly, startDate: '2027-10-19' }, '2027-10-20T00:00:00Z', 2)).to.deep.equal(['2027-10-26T19:00:00+02:00', '2027-11-02T19:00:00+01:00']);
    const ny = { ...weekly, timeZone: 'America/New_York', startDate: '2027-03-02' };
    expect(isoStarts(ny, '2027-03-08T00:00:00Z', 2)).to.deep.equal(['2027-03-09T19:00:00-05:00', '2027-03-16T19:00:00-04:00']);
  });

  it('reads a time the clocks skip with the offset before the jump, and a time they pass twice as the first', () => {
    // 02:30 does not happen in Berlin on 28 March 2027: it is read as 03:30 summer time (RFC 5545).
    expect(zonedInstant({ year: 2027, month: 3, day: 28 }, { hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).to.equal('2027-03-28T01:30:00.000Z');
    // 02:30 happens twice on 31 October 2027: the first (summer time) is meant.
    expect(zonedInstant({ year: 2027, month: 10, day: 31 }, { hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).to.equal('2027-10-31T00:30:00.000Z');
    expect(isoInZone(new Date('2027-01-05T13:30:00Z'), 'Asia/Kolkata')).to.equal('2027-01-05T19:00:00+05:30');
    expect(isoInZone(new Date('2027-01-05T23:00:00Z'), 'America/St_Johns')).to.equal('2027-01-05T19:30:00-03:30');
  });

  it('repeats monthly on the same weekday position, or on the last one from the 29th on', () => {
    // 8 December 2026 is the 2nd Tuesday.
    const monthly = { ...weekly, recurrence: 'monthly' as const, startDate: '2026-12-08', repeatUntil: '2027-06-30' };
    expect(monthlyPosition(parseCivilDate('2026-12-08')!)).to.deep.equal({ weekday: 2, nth: 2 });
    expect(isoStarts(monthly, '2026-11-20T00:00:00Z', 10)).to.deep.equal([
      '2026-12-08T19:00:00+01:00',
      '2027-01-12T19:00:00+01:00',
      '2027-02-09T19:00:00+01:00',
      '2027-03-09T19:00:00+01:00',
      '2027-04-13T19:00:00+02:00',
      '2027-05-11T19:00:00+02:00',
      '2027-06-08T19:00:00+02:00',
    ]);
    // 29 December 2026 is a Tuesday in the month's fifth week: every last Tuesday.
    const last = { ...monthly, startDate: '2026-12-29', repeatUntil: null };
    expect(monthlyPosition(parseCivilDate('2026-12-29')!)).to.deep.equal({ weekday: 2, nth: -1 });
    expect(isoStarts(last, '2026-12-01T00:00:00Z', 3).map((s) => s.slice(0, 10))).to.deep.equal(['2026-12-29', '2027-01-26', '2027-02-23']);
  });

  it('stops at the last date, and never walks through all of time for a meeting without end', () => {
    const until = { ...weekly, repeatUntil: '2027-03-30' };
    expect(isoStarts(until, '2027-03-20T00:00:00Z').map((s) => s.slice(0, 10))).to.deep.equal(['2027-03-23', '2027-03-30']);
    expect(endsBy(until)!.getTime()).to.be.greaterThan(new Date('2027-03-30T19:30:00+02:00').getTime());
    expect(endsBy(weekly)).to.equal(null);
    expect(endsBy({ ...weekly, recurrence: 'none' })!.toISOString()).to.equal('2027-03-16T19:30:00.000Z');
    // Far in the future, it jumps straight there and finds at most six, within a year
    // (how long that takes is measured by `npm run bench`).
    const far = upcomingOccurrences(weekly, new Date('2090-01-01T00:00:00Z'));
    expect(far).to.have.length(6);
    expect(far[0]!.start.toISOString().slice(0, 10)).to.equal('2090-01-03');
    // Every 3rd Tuesday, asked on 20 March 2027: April to February; 21 March 2028 is more than a year away.
    const horizon = upcomingOccurrences({ ...weekly, recurrence: 'monthly' }, new Date('2027-03-20T00:00:00Z'), { limit: 50 });
    expect(horizon.map((o) => o.date.month)).to.deep.equal([4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2]);
  });

  it('includes a meeting that is going on, and leaves out one that has ended', () => {
    const once = { ...weekly, recurrence: 'none' as const };
    expect(upcomingOccurrences(once, new Date('2027-03-16T18:45:00Z'))).to.have.length(1);
    expect(upcomingOccurrences(once, new Date('2027-03-16T19:30:00Z'))).to.have.length(0);
    expect(firstStart(once).toISOString()).to.equal('2027-03-16T18:00:00.000Z');
  });

  it('knows real zones by their proper names, and refuses the rest', () => {
    expect(canonicalTimeZone('europe/berlin')).to.equal('Europe/Berlin');
    expect(canonicalTimeZone(' America/New_York ')).to.equal('America/New_York');
    expect(canonicalTimeZone('utc')).to.equal('UTC');
    // Kept as written, whatever older runtimes call it.
    expect(canonicalTimeZone('Asia/Kolkata')).to.equal('Asia/Kolkata');
    expect(['Asia/Kolkata', 'Asia/Calcutta']).to.include(canonicalTimeZone('asia/kolkata'));
    for (const bad of ['Mars/Olympus_Mons', '+01:00', 'GMT+1 ', '', 'Europe/Berlin; DROP', '../../etc/passwd', 'x'.repeat(80)]) {
      expect(canonicalTimeZone(bad), bad).to.equal(undefined);
    }
    expect(parseCivilDate('2026-02-30')).to.equal(undefined);
    expect(parseCivilDate('2028-02-29')).to.deep.equal({ year: 2028, month: 2, day: 29 });
    expect(parseCivilDate('2027-02-29')).to.equal(undefined);
    expect(parseCivilDate('3/10/2026')).to.equal(undefined);
    expect(parseCivilTime('19:00:00')).to.deep.equal({ hour: 19, minute: 0 });
    expect(parseCivilTime('24:00')).to.equal(undefined);
    expect(parseCivilTime('7pm')).to.equal(undefined);
  });
});

describe('who keeps a circle', () => {
  const member = (id: number, role: 'member' | 'steward' = 'member', status: 'active' | 'suspended' = 'active') => ({ id, role, status }) as Member;
  const circle = { createdBy: 5 };

  it('without moderation, is whoever opened it and the stewards, while their accounts are active: one rule for meetings and resources', () => {
    expect(canKeepCircle(member(5), circle)).to.equal(true);
    expect(canKeepCircle(member(6), circle)).to.equal(false);
    expect(canKeepCircle(member(7, 'steward'), circle)).to.equal(true);
    expect(canKeepCircle(member(5, 'member', 'suspended'), circle)).to.equal(false);
    expect(canKeepCircle(undefined, circle)).to.equal(false);
    expect(canKeepCircle(member(6), { createdBy: null })).to.equal(false);
  });
});
