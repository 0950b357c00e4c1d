import type { UpcomingMeeting } from '../domain/meetings/meeting.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { translate } from '../i18n/translate.js';
import { monthlyPosition, type Schedule } from '../domain/meetings/recurrence.js';
import {
  addDays,
  formatCivilDate,
  offsetMinutes,
  pad,
  parseCivilDate,
  parseCivilTime,
  zonedInstant,
  type CivilDate,
} from '../domain/meetings/zoned-time.js';

/**
 * Hearth's own small iCalendar (RFC 5545) writer for circles' meeting feeds.
 *
 * Times are written as the circle wrote them: DTSTART;TZID=Europe/Berlin with
 * the local time, so a weekly 19:00 meeting stays at 19:00 in calendar apps
 * when the clocks change (a UTC DTSTART would drift by an hour twice a year).
 * RFC 5545 asks for a VTIMEZONE for every TZID used, so the feed carries one,
 * worked out from the runtime's own zone data (Intl): yearly rules where the
 * zone follows one (e.g. "last Sunday of March"), each change listed otherwise.
 */

const CRLF = '\r\n';
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/** TEXT values: backslash, semicolon, comma and newlines escaped; other control characters dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): each further line starts
 * with one space, and no UTF-8 character is ever split.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      lines.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space is the 75th octet
    }
    current += ch;
    octets += size;
  }
  lines.push(current);
  return lines.join(`${CRLF} `);
}

/** 20260303T180000Z */
export function utcDateTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function localDateTime(date: CivilDate, time: { hour: number; minute: number }, second = 0): string {
  return `${formatCivilDate(date).replace(/-/g, '')}T${pad(time.hour)}${pad(time.minute)}${pad(second)}`;
}

/** +0100, -0330 */
function utcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/**
 * The RRULE of a repeating meeting: FREQ=WEEKLY, or FREQ=MONTHLY;BYDAY=2TU
 * (same weekday position as the first date; -1 for the last). UNTIL is the end
 * of the last date in the meeting's zone, in UTC, as RFC 5545 requires with a
 * TZID start.
 */
export function rruleOf(schedule: Schedule): string | undefined {
  if (schedule.recurrence === 'none') return undefined;
  const start = parseCivilDate(schedule.startDate)!;
  let rule = 'FREQ=WEEKLY';
  if (schedule.recurrence === 'monthly') {
    const { weekday, nth } = monthlyPosition(start);
    rule = `FREQ=MONTHLY;BYDAY=${nth}${WEEKDAYS[weekday]}`;
  }
  const until = schedule.repeatUntil ? parseCivilDate(schedule.repeatUntil) : undefined;
  if (until) {
    const endOfDay = new Date(zonedInstant(addDays(until, 1), { hour: 0, minute: 0 }, schedule.timeZone).getTime() - 1000);
    rule += `;UNTIL=${utcDateTime(endOfDay)}`;
  }
  return rule;
}

interface Transition {
  at: Date;
  from: number;
  to: number;
}

/** The moments in `year` when `zone` changes its offset. */
function transitionsIn(zone: string, year: number): Transition[] {
  const found: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let t = Date.UTC(year, 0, 1);
  let offset = offsetMinutes(new Date(t), zone);
  while (t < end) {
    const next = Math.min(t + 86_400_000, end);
    const nextOffset = offsetMinutes(new Date(next), zone);
    if (nextOffset !== offset) {
      // Narrow down to the minute it changed.
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetMinutes(new Date(mid), zone) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: new Date(hi), from: offset, to: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  return found;
}

interface LocalMoment {
  date: CivilDate;
  hour: number;
  minute: number;
}

/** When a transition happens on the wall clock, read with the offset before it (RFC 5545 observance DTSTART). */
function wallTime(tr: Transition): LocalMoment {
  const shifted = new Date(tr.at.getTime() + tr.from * 60_000);
  return {
    date: { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() },
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/**
 * The yearly rules a transition fits, best first: "last Sunday of March"
 * (BYDAY=-1SU), "2nd Sunday of March" (BYDAY=2SU), or "the first Sunday on or
 * after the 2nd" (BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8).
 */
function yearlyRuleParts(m: LocalMoment): string[] {
  const { year, month, day } = m.date;
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
  const readings = [];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day + 7 > daysInMonth) readings.push(`BYMONTH=${month};BYDAY=-1${weekday}`);
  const nth = Math.ceil(day / 7);
  if (nth <= 4) readings.push(`BYMONTH=${month};BYDAY=${nth}${weekday}`);
  for (let first = Math.max(1, day - 6); first <= day && first + 6 <= daysInMonth; first++) {
    const days = Array.from({ length: 7 }, (_, i) => first + i).join(',');
    readings.push(`BYMONTH=${month};BYDAY=${weekday};BYMONTHDAY=${days}`);
  }
  return readings;
}

const zoneCache = new Map<string, string[]>();

/** How many years of a zone's changes are read to find (and check) its yearly rules. */
const ZONE_YEARS = 10;

/**
 * A VTIMEZONE for `zone` that is right for every time from the start of
 * `fromYear` on: STANDARD/DAYLIGHT observances with yearly RRULEs when the
 * zone's changes follow one rule for ten years, or otherwise every change in
 * those ten years listed on its own.
 */
export function vtimezone(zone: string, fromYear: number): string[] {
  const key = `${zone}|${fromYear}`;
  const cached = zoneCache.get(key);
  if (cached) return cached;
  const years: Transition[][] = [];
  for (let y = fromYear; y < fromYear + ZONE_YEARS; y++) years.push(transitionsIn(zone, y));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', m: LocalMoment, from: number, to: number, rrule?: string) => {
    lines.push(`BEGIN:${kind}`, `DTSTART:${localDateTime(m.date, m)}`, `TZOFFSETFROM:${utcOffset(from)}`, `TZOFFSETTO:${utcOffset(to)}`);
    if (rrule) lines.push(`RRULE:FREQ=YEARLY;${rrule}`);
    lines.push(`END:${kind}`);
  };

  const rules = yearlyRules(years);
  if (rules) {
    for (const [i, tr] of years[0]!.entries()) observance(tr.to > tr.from ? 'DAYLIGHT' : 'STANDARD', wallTime(tr), tr.from, tr.to, rules[i]);
  } else {
    const all = years.flat();
    const first = offsetMinutes(new Date(Date.UTC(fromYear, 0, 1)), zone);
    const lowest = Math.min(first, ...all.map((t) => t.to));
    // The offset in force from the start of the first year, then each change.
    observance(first > lowest ? 'DAYLIGHT' : 'STANDARD', { date: { year: fromYear, month: 1, day: 1 }, hour: 0, minute: 0 }, first, first);
    for (const tr of all) observance(tr.to > tr.from ? 'DAYLIGHT' : 'STANDARD', wallTime(tr), tr.from, tr.to);
  }
  lines.push('END:VTIMEZONE');
  if (zoneCache.size > 500) zoneCache.clear();
  zoneCache.set(key, lines);
  return lines;
}

/** One yearly rule per change of the first year, if every year follows them; undefined otherwise. */
function yearlyRules(years: Transition[][]): string[] | undefined {
  const first = years[0]!;
  if (first.length !== 2 || years.some((y) => y.length !== 2)) return undefined;
  const rules: string[] = [];
  for (let i = 0; i < 2; i++) {
    const moments = years.map((y) => ({ tr: y[i]!, m: wallTime(y[i]!) }));
    const sameShape = moments.every(
      ({ tr, m }) => tr.from === first[i]!.from && tr.to === first[i]!.to && m.hour === moments[0]!.m.hour && m.minute === moments[0]!.m.minute,
    );
    if (!sameShape) return undefined;
    const rule = yearlyRuleParts(moments[0]!.m).find((r) => moments.every(({ m }) => yearlyRuleParts(m).includes(r)));
    if (!rule) return undefined;
    rules.push(rule);
  }
  return rules;
}

export interface CalendarOptions {
  /** The calendar's name, e.g. "Meetings of Hearing voices". */
  name: string;
  /** The instance's host, for UIDs. */
  host: string;
  /** The instance's origin, for each meeting's page. */
  origin: string;
  meetings: UpcomingMeeting[];
  /** The language of the words Hearth adds (whoever fetched the feed reads them); English if not given. */
  locale?: Locale;
}

/** A whole feed: VCALENDAR with its time zones and one VEVENT per meeting, CRLF line endings, folded. */
export function meetingsCalendar(o: CalendarOptions): string {
  const locale = o.locale ?? DEFAULT_LOCALE;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hearth//Circle meetings//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(o.name)}`,
    `X-WR-CALNAME:${escapeText(o.name)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
  ];
  // One VTIMEZONE per zone, from the year before its earliest meeting on.
  const zones = new Map<string, number>();
  for (const { meeting } of o.meetings) {
    const year = parseCivilDate(meeting.startDate)!.year - 1;
    zones.set(meeting.timeZone, Math.min(zones.get(meeting.timeZone) ?? year, year));
  }
  for (const [zone, fromYear] of [...zones].sort(([a], [b]) => a.localeCompare(b))) lines.push(...vtimezone(zone, fromYear));
  for (const { meeting, circle } of o.meetings) {
    const page = `${o.origin}/c/${circle.slug}/meetings/${meeting.id}`;
    const start = parseCivilDate(meeting.startDate)!;
    const time = parseCivilTime(meeting.startTime)!;
    const description = [
      meeting.descriptionSource,
      meeting.contact ? translate(locale, 'together.ics.contact', { contact: meeting.contact }) : '',
      meeting.link ? translate(locale, 'together.ics.link', { link: meeting.link }) : '',
      `${circle.name}: ${page}`,
    ].filter((p) => p.trim() !== '');
    lines.push(
      'BEGIN:VEVENT',
      `UID:meeting-${meeting.id}@${o.host}`,
      `DTSTAMP:${utcDateTime(meeting.updatedAt)}`,
      `CREATED:${utcDateTime(meeting.createdAt)}`,
      `LAST-MODIFIED:${utcDateTime(meeting.updatedAt)}`,
      `SEQUENCE:${meeting.sequence}`,
      `DTSTART;TZID=${meeting.timeZone}:${localDateTime(start, time)}`,
      `DURATION:PT${meeting.durationMinutes}M`,
    );
    const rrule = rruleOf(meeting);
    if (rrule) lines.push(`RRULE:${rrule}`);
    lines.push(`SUMMARY:${escapeText(meeting.title)}`, `DESCRIPTION:${escapeText(description.join('\n\n'))}`);
    const location = meeting.place || meeting.link;
    if (location) lines.push(`LOCATION:${escapeText(location)}`);
    lines.push(`URL:${page.replace(/[\u0000-\u001f\u007f]/g, '')}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
