import { expect } from 'chai';
import { breakState, inQuietHours, localTime, loosens as loosensRef, type BreakSettings } from '../../../src/domain/wellbeing/break-rules.js';
import { textIn } from '../../../src/i18n/translate.js';

/** The problem in English (the rule gives a message), or null. */
const loosens = (...args: Parameters<typeof loosensRef>): string | null => {
  const problem = loosensRef(...args);
  return problem === null ? null : textIn('en', problem);
};

const base: BreakSettings = { quietFrom: null, quietTo: null, timeZone: 'Europe/Berlin', dailyMinutes: null, lockedUntil: null };

describe('breaks a member sets for themselves', () => {
  it('knows quiet hours that cross midnight', () => {
    expect(inQuietHours(23 * 60, 22 * 60, 7 * 60)).to.equal(true);
    expect(inQuietHours(3 * 60, 22 * 60, 7 * 60)).to.equal(true);
    expect(inQuietHours(7 * 60, 22 * 60, 7 * 60)).to.equal(false);
    expect(inQuietHours(12 * 60, 22 * 60, 7 * 60)).to.equal(false);
    expect(inQuietHours(13 * 60, 12 * 60, 14 * 60)).to.equal(true);
  });

  it('reads the time in the member’s zone, across a change of the clocks', () => {
    // 2026-03-29: Berlin goes from UTC+1 to UTC+2 at 01:00 UTC.
    expect(localTime(new Date('2026-03-28T21:30:00Z'), 'Europe/Berlin')).to.deep.equal({ day: '2026-03-28', minute: 22 * 60 + 30 });
    expect(localTime(new Date('2026-03-29T20:30:00Z'), 'Europe/Berlin')).to.deep.equal({ day: '2026-03-29', minute: 22 * 60 + 30 });
  });

  it('puts a member on a quiet-hours break until their morning, whatever the offset that night', () => {
    const s = { ...base, quietFrom: 22 * 60, quietTo: 7 * 60 };
    const state = breakState(s, new Date('2026-03-28T22:30:00Z'), 0); // 23:30 in Berlin, the night the clocks go forward
    expect(state.onBreak).to.equal(true);
    if (state.onBreak) {
      expect(state.reason).to.equal('quiet_hours');
      expect(state.until.toISOString()).to.equal('2026-03-29T05:00:00.000Z'); // 07:00 summer time
    }
    expect(breakState(s, new Date('2026-03-29T12:00:00Z'), 0).onBreak).to.equal(false);
  });

  it('ends the day at the daily limit, until local midnight', () => {
    const s = { ...base, dailyMinutes: 30 };
    expect(breakState(s, new Date('2026-06-01T10:00:00Z'), 29).onBreak).to.equal(false);
    const state = breakState(s, new Date('2026-06-01T10:00:00Z'), 30);
    expect(state.onBreak && state.reason).to.equal('daily_limit');
    if (state.onBreak) expect(state.until.toISOString()).to.equal('2026-06-01T22:00:00.000Z');
  });

  it('while locked, lets settings tighten but never loosen', () => {
    const at = new Date('2026-06-01T10:00:00Z');
    const locked = { ...base, quietFrom: 22 * 60, quietTo: 7 * 60, dailyMinutes: 60, lockedUntil: new Date('2026-06-10T00:00:00Z') };
    expect(loosens(locked, null, at)).to.match(/only get stricter/);
    expect(loosens(locked, { ...locked, dailyMinutes: 90 }, at)).to.match(/only get stricter/);
    expect(loosens(locked, { ...locked, dailyMinutes: null }, at)).to.match(/only get stricter/);
    expect(loosens(locked, { ...locked, quietFrom: 23 * 60 }, at)).to.match(/only get stricter/);
    expect(loosens(locked, { ...locked, lockedUntil: new Date('2026-06-05T00:00:00Z') }, at)).to.match(/only get stricter/);
    expect(loosens(locked, { ...locked, dailyMinutes: 45, quietFrom: 21 * 60 }, at)).to.equal(null);
    expect(loosens(locked, { ...locked, dailyMinutes: 200 }, new Date('2026-06-11T00:00:00Z'))).to.equal(null);
  });
});
