import { expect } from 'chai';
import { civilDateLabel, describeRule, durationLabel, occurrenceView } from '../../../src/domain/meetings/meeting-words.js';
import type { Schedule } from '../../../src/domain/meetings/recurrence.js';

const base: Schedule = { startDate: '2026-03-10', startTime: '19:00', timeZone: 'Europe/Berlin', durationMinutes: 90, recurrence: 'none', repeatUntil: null };

describe('how meetings read, in each language', () => {
  it('says how a meeting repeats, with weekday and month names from Intl', () => {
    const weekly = { ...base, recurrence: 'weekly' as const };
    const monthly = { ...base, recurrence: 'monthly' as const };
    const last = { ...base, startDate: '2026-03-31', recurrence: 'monthly' as const, repeatUntil: '2026-06-30' };
    expect(describeRule(base)).to.equal('Once');
    expect(describeRule(weekly)).to.equal('Every Tuesday');
    expect(describeRule(monthly)).to.equal('Every 2nd Tuesday of the month');
    expect(describeRule(last)).to.equal('Every last Tuesday of the month, until 30 June 2026');
    expect(describeRule(base, 'de')).to.equal('Einmalig');
    expect(describeRule(weekly, 'de')).to.equal('Jeden Dienstag');
    expect(describeRule(monthly, 'de')).to.equal('Jeden zweiten Dienstag im Monat');
    expect(describeRule(last, 'de')).to.equal('Jeden letzten Dienstag im Monat, bis 30. Juni 2026');
    expect(describeRule(weekly, 'es')).to.equal('Cada martes');
    expect(describeRule(monthly, 'es')).to.equal('El segundo martes de cada mes');
    expect(describeRule(last, 'es')).to.equal('El último martes de cada mes, hasta el 30 de junio de 2026');
  });

  it('words lengths, dates and times', () => {
    expect(durationLabel(90)).to.equal('1 hour 30 minutes');
    expect(durationLabel(60)).to.equal('1 hour');
    expect(durationLabel(45)).to.equal('45 minutes');
    expect(durationLabel(150, 'de')).to.equal('2 Stunden 30 Minuten');
    expect(durationLabel(1, 'es')).to.equal('1 minuto');
    expect(civilDateLabel('2026-03-03')).to.equal('3 March 2026');
    expect(civilDateLabel('2026-03-03', 'es')).to.equal('3 de marzo de 2026');
    const o = { start: new Date('2026-03-10T22:30:00Z'), end: new Date('2026-03-10T23:30:00Z') };
    expect(occurrenceView(o, 'Europe/Berlin')).to.include({ day: 'Tuesday 10 March 2026', hours: '23:30–00:30 (the next day)', zone: 'Europe/Berlin time, UTC+01:00' });
    expect(occurrenceView(o, 'Europe/Berlin', undefined, 'de')).to.include({ day: 'Dienstag, 10. März 2026', hours: '23:30–00:30 (am nächsten Tag)' });
  });
});
