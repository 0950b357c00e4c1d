import type { Meeting, UpcomingMeeting } from './meeting.js';
import { monthlyPosition, type Occurrence, type Schedule } from './recurrence.js';
import { formatOffset, isoInZone, localAt, offsetMinutes, parseCivilDate, weekdayOf } from './zoned-time.js';
import { zoneShortName } from '../time-zones.js';

/**
 * How meetings read on pages (and in federated Events): every time in the
 * meeting's own zone, saying which zone it is, and, where the viewer's zone
 * shows another time, that time too.
 */

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ORDINALS: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', [-1]: 'last' };

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// Dates are spelled out here rather than by Intl's locale patterns, which change between ICU versions.
function clock(instant: Date, zone: string): string {
  const l = localAt(instant, zone);
  return `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}

/** "3 March 2026" for a YYYY-MM-DD date. */
export function civilDateLabel(text: string): string {
  const d = parseCivilDate(text);
  return d ? `${d.day} ${MONTH_NAMES[d.month - 1]} ${d.year}` : text;
}

/** "Tuesday 3 March 2026": the day of `instant` in `zone`. */
function dayLabel(instant: Date, zone: string): string {
  const l = localAt(instant, zone);
  return `${WEEKDAY_NAMES[weekdayOf(l)]} ${l.day} ${MONTH_NAMES[l.month - 1]} ${l.year}`;
}

/** "Once", "Every Tuesday", "Every 2nd Tuesday of the month", with "until 30 June 2026". */
export function describeRule(schedule: Schedule): string {
  const start = parseCivilDate(schedule.startDate);
  if (!start || schedule.recurrence === 'none') return 'Once';
  const weekday = WEEKDAY_NAMES[weekdayOf(start)]!;
  const rule =
    schedule.recurrence === 'weekly'
      ? `Every ${weekday}`
      : `Every ${ORDINALS[monthlyPosition(start).nth]} ${weekday} of the month`;
  return schedule.repeatUntil ? `${rule}, until ${civilDateLabel(schedule.repeatUntil)}` : rule;
}

/** "1 hour 30 minutes". */
export function durationLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [];
  if (h > 0) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m > 0) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  return parts.join(' ');
}

export interface OccurrenceView {
  /** xsd:dateTime with the zone's offset, for <time datetime>. */
  iso: string;
  /** "Tuesday 3 March 2026" in the meeting's zone. */
  day: string;
  /** "19:00–20:30". */
  hours: string;
  /** "Europe/Berlin time, UTC+01:00". */
  zone: string;
  /** "Tuesday 3 March 2026, 13:00–14:30 EST": the same time on the viewer's clock, when that reads differently. */
  yours?: string;
}

function hoursIn(o: Pick<Occurrence, 'start' | 'end'>, zone: string): string {
  const sameDay = localAt(o.start, zone).day === localAt(o.end, zone).day;
  return `${clock(o.start, zone)}–${clock(o.end, zone)}${sameDay ? '' : ' (the next day)'}`;
}

export function occurrenceView(o: Pick<Occurrence, 'start' | 'end'>, zone: string, viewerZone?: string): OccurrenceView {
  const view: OccurrenceView = {
    iso: isoInZone(o.start, zone),
    day: dayLabel(o.start, zone),
    hours: hoursIn(o, zone),
    zone: `${zone} time, UTC${formatOffset(offsetMinutes(o.start, zone))}`,
  };
  if (viewerZone && viewerZone !== zone && offsetMinutes(o.start, viewerZone) !== offsetMinutes(o.start, zone)) {
    view.yours = `${dayLabel(o.start, viewerZone)}, ${hoursIn(o, viewerZone)} ${zoneShortName(o.start, viewerZone)}`;
  }
  return view;
}

/** Everything a page shows of a meeting; `viewerZone` adds each time as the viewer's clock shows it. */
export function meetingView(u: UpcomingMeeting, limit = 4, viewerZone?: string) {
  const { meeting, circle } = u;
  return {
    id: meeting.id,
    path: `/c/${circle.slug}/meetings/${meeting.id}`,
    circle: { slug: circle.slug, name: circle.name, visibility: circle.visibility },
    title: meeting.title,
    descriptionHtml: meeting.descriptionHtml,
    place: meeting.place,
    link: meeting.link,
    contact: meeting.contact,
    timeZone: meeting.timeZone,
    rule: describeRule(meeting),
    repeats: meeting.recurrence !== 'none',
    duration: durationLabel(meeting.durationMinutes),
    cancelled: meeting.cancelledAt !== null,
    next: u.next.slice(0, limit).map((o) => occurrenceView(o, meeting.timeZone, viewerZone)),
    more: u.next.length > limit,
  };
}

/** The edit form's fields, filled from a meeting. */
export function meetingFormValues(meeting: Meeting): Record<string, string> {
  return {
    title: meeting.title,
    description: meeting.descriptionSource,
    startDate: meeting.startDate,
    startTime: meeting.startTime,
    timeZone: meeting.timeZone,
    duration: String(meeting.durationMinutes),
    recurrence: meeting.recurrence,
    repeatUntil: meeting.repeatUntil ?? '',
    place: meeting.place,
    link: meeting.link ?? '',
    contact: meeting.contact,
  };
}
