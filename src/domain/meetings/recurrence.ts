import {
  addDays,
  compareCivilDates,
  daysBetween,
  daysInMonth,
  localAt,
  parseCivilDate,
  parseCivilTime,
  weekdayOf,
  zonedInstant,
  type CivilDate,
  type CivilTime,
} from './zoned-time.js';

export type Recurrence = 'none' | 'weekly' | 'monthly';
export const RECURRENCES: readonly Recurrence[] = ['none', 'weekly', 'monthly'];

/** When a meeting happens, as its circle wrote it: local date and time in a zone. */
export interface Schedule {
  /** YYYY-MM-DD, the first (or only) date, in the meeting's zone. */
  startDate: string;
  /** HH:MM, wall-clock time in the meeting's zone. */
  startTime: string;
  /** IANA name, e.g. Europe/Berlin. */
  timeZone: string;
  durationMinutes: number;
  recurrence: Recurrence;
  /** YYYY-MM-DD, the last date a repeating meeting may fall on; null: no end. */
  repeatUntil: string | null;
}

/** One meeting on one day. */
export interface Occurrence {
  start: Date;
  end: Date;
  /** The local date in the meeting's zone. */
  date: CivilDate;
}

/** How far ahead upcoming meetings are worked out, and how many at most. */
export const OCCURRENCE_HORIZON_DAYS = 366;
export const MAX_OCCURRENCES = 6;

/**
 * Monthly meetings repeat on the same weekday position as their first date:
 * a first date on the 2nd Tuesday repeats every 2nd Tuesday. A first date in
 * the month's fifth week (the 29th or later) repeats on the last such weekday,
 * since not every month has a fifth one. `nth` is 1-4, or -1 for the last.
 */
export function monthlyPosition(date: CivilDate): { weekday: number; nth: number } {
  const nth = Math.ceil(date.day / 7);
  return { weekday: weekdayOf(date), nth: nth >= 5 ? -1 : nth };
}

/** The date of the nth (or, for -1, last) `weekday` of a month. */
export function nthWeekday(year: number, month: number, weekday: number, nth: number): CivilDate {
  if (nth === -1) {
    const last = { year, month, day: daysInMonth(year, month) };
    return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
  }
  const first = { year, month, day: 1 };
  return addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + (nth - 1) * 7);
}

interface Parsed {
  start: CivilDate;
  time: CivilTime;
  until: CivilDate | undefined;
  schedule: Schedule;
}

function parse(schedule: Schedule): Parsed {
  const start = parseCivilDate(schedule.startDate);
  const time = parseCivilTime(schedule.startTime);
  if (!start || !time) throw new Error(`Unreadable schedule: ${schedule.startDate} ${schedule.startTime}`);
  const until = schedule.repeatUntil ? parseCivilDate(schedule.repeatUntil) : undefined;
  return { start, time, until, schedule };
}

/** The local date of occurrence number k (0 is the first date). */
function dateOf(p: Parsed, k: number): CivilDate {
  if (p.schedule.recurrence === 'weekly') return addDays(p.start, 7 * k);
  if (p.schedule.recurrence === 'monthly') {
    const { weekday, nth } = monthlyPosition(p.start);
    const months = p.start.month - 1 + k;
    return nthWeekday(p.start.year + Math.floor(months / 12), (months % 12) + 1, weekday, nth);
  }
  return p.start;
}

function occurrence(p: Parsed, date: CivilDate): Occurrence {
  const start = zonedInstant(date, p.time, p.schedule.timeZone);
  return { start, end: new Date(start.getTime() + p.schedule.durationMinutes * 60_000), date };
}

/** When the first (or only) meeting starts. */
export function firstStart(schedule: Schedule): Date {
  const p = parse(schedule);
  return occurrence(p, p.start).start;
}

/**
 * A time by which every meeting of the schedule has ended (for finding
 * upcoming meetings in the database), or null while it repeats without end.
 */
export function endsBy(schedule: Schedule): Date | null {
  const p = parse(schedule);
  if (schedule.recurrence === 'none') return occurrence(p, p.start).end;
  if (!p.until) return null;
  // The end of the until date, plus one meeting's length: never too early.
  return new Date(occurrence(p, addDays(p.until, 1)).start.getTime() + (schedule.durationMinutes + 24 * 60) * 60_000);
}

/**
 * The meetings that have not ended by `after`, in order: at most `limit`, none
 * starting later than `horizon`. A schedule that repeats without end costs a
 * few steps, never a walk through all of time.
 */
export function upcomingOccurrences(
  schedule: Schedule,
  after: Date,
  options: { limit?: number; horizon?: Date } = {},
): Occurrence[] {
  const limit = options.limit ?? MAX_OCCURRENCES;
  const horizon = options.horizon ?? new Date(after.getTime() + OCCURRENCE_HORIZON_DAYS * 86_400_000);
  const p = parse(schedule);
  if (schedule.recurrence === 'none') {
    const only = occurrence(p, p.start);
    return only.end > after && only.start <= horizon && limit > 0 ? [only] : [];
  }
  // Skip straight to about where `after` falls (one step early, for meetings still going on).
  const today = localAt(after, schedule.timeZone);
  let k: number;
  if (schedule.recurrence === 'weekly') k = Math.floor(daysBetween(p.start, today) / 7) - 1;
  else k = (today.year - p.start.year) * 12 + (today.month - p.start.month) - 1;
  k = Math.max(0, k);
  const found: Occurrence[] = [];
  for (let steps = 0; found.length < limit && steps < limit + 64; steps++, k++) {
    const date = dateOf(p, k);
    if (p.until && compareCivilDates(date, p.until) > 0) break;
    const o = occurrence(p, date);
    if (o.start > horizon) break;
    if (o.end > after) found.push(o);
  }
  return found;
}
