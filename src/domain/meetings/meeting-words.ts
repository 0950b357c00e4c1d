import type { Meeting, UpcomingMeeting } from './meeting.js';
import { monthlyPosition, type Occurrence, type Schedule } from './recurrence.js';
import { formatOffset, isoInZone, localAt, offsetMinutes, parseCivilDate, type CivilDate } from './zoned-time.js';
import { zoneShortName } from '../time-zones.js';
import type { Locale } from '../../i18n/locales.js';
import { msg, type MessageRef } from '../../i18n/message.js';
import { translate } from '../../i18n/translate.js';

/**
 * How meetings read on pages (and in federated Events): every time in the
 * meeting's own zone, saying which zone it is, and, where the viewer's zone
 * shows another time, that time too. Words come from the `together`
 * catalogue in the reader's language; weekday and month names from Intl.
 */

/** English is written the British way ("Tuesday 3 March 2026"); other languages their own. */
function intlLocale(locale: Locale): string {
  return locale === 'en' ? 'en-GB' : locale;
}

const nameFormats = new Map<Locale, Intl.DateTimeFormat>();

/** The names of a calendar date's weekday and month (and its numbers) in `locale`, through Intl. */
function dateNames(d: CivilDate, locale: Locale): { weekday: string; day: string; month: string; year: string } {
  let f = nameFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    nameFormats.set(locale, f);
  }
  const parts = f.formatToParts(new Date(Date.UTC(d.year, d.month - 1, d.day, 12)));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: part('weekday'), day: part('day'), month: part('month'), year: part('year') };
}

const ORDINALS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };

function clock(instant: Date, zone: string): string {
  const l = localAt(instant, zone);
  return `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}

/** "3 March 2026" for a YYYY-MM-DD date. */
export function civilDateLabel(text: string, locale: Locale = 'en'): string {
  const d = parseCivilDate(text);
  if (!d) return text;
  const { day, month, year } = dateNames(d, locale);
  return translate(locale, 'together.date.civil', { day, month, year });
}

/** "Tuesday 3 March 2026": the day of `instant` in `zone`. */
function dayLabel(instant: Date, zone: string, locale: Locale): string {
  return translate(locale, 'together.date.day', dateNames(localAt(instant, zone), locale));
}

/** "Once", "Every Tuesday", "Every 2nd Tuesday of the month", with "until 30 June 2026": a message, its names in `locale`. */
export function ruleMessage(schedule: Schedule, locale: Locale = 'en'): MessageRef {
  const start = parseCivilDate(schedule.startDate);
  if (!start || schedule.recurrence === 'none') return msg('together.rule.once');
  const weekday = dateNames(start, locale).weekday;
  const date = schedule.repeatUntil ? civilDateLabel(schedule.repeatUntil, locale) : undefined;
  if (schedule.recurrence === 'weekly') return date ? msg('together.rule.weekly_until', { weekday, date }) : msg('together.rule.weekly', { weekday });
  const nth = ORDINALS[monthlyPosition(start).nth] ?? 'last';
  return date ? msg('together.rule.monthly_until', { nth, weekday, date }) : msg('together.rule.monthly', { nth, weekday });
}

/** The rule in words, in `locale`. */
export function describeRule(schedule: Schedule, locale: Locale = 'en'): string {
  const rule = ruleMessage(schedule, locale);
  return translate(locale, rule.key, rule.values);
}

/** "1 hour 30 minutes". */
export function durationLabel(minutes: number, locale: Locale = 'en'): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const shape = hours > 0 && rest > 0 ? 'both' : hours > 0 ? 'hours' : 'minutes';
  return translate(locale, 'together.duration', { shape, hours, minutes: rest });
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

function hoursIn(o: Pick<Occurrence, 'start' | 'end'>, zone: string, locale: Locale): string {
  const sameDay = localAt(o.start, zone).day === localAt(o.end, zone).day;
  return translate(locale, sameDay ? 'together.hours' : 'together.hours.next_day', { from: clock(o.start, zone), to: clock(o.end, zone) });
}

export function occurrenceView(o: Pick<Occurrence, 'start' | 'end'>, zone: string, viewerZone?: string, locale: Locale = 'en'): OccurrenceView {
  const view: OccurrenceView = {
    iso: isoInZone(o.start, zone),
    day: dayLabel(o.start, zone, locale),
    hours: hoursIn(o, zone, locale),
    zone: translate(locale, 'together.zone', { zone, offset: formatOffset(offsetMinutes(o.start, zone)) }),
  };
  if (viewerZone && viewerZone !== zone && offsetMinutes(o.start, viewerZone) !== offsetMinutes(o.start, zone)) {
    view.yours = translate(locale, 'together.yours', {
      day: dayLabel(o.start, viewerZone, locale),
      hours: hoursIn(o, viewerZone, locale),
      zone: zoneShortName(o.start, viewerZone, locale),
    });
  }
  return view;
}

/**
 * Everything a page shows of a meeting, in the reader's language (`locale`);
 * `viewerZone` adds each time as the viewer's clock shows it.
 */
export function meetingView(u: UpcomingMeeting, limit = 4, viewerZone?: string, locale: Locale = 'en') {
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
    rule: describeRule(meeting, locale),
    repeats: meeting.recurrence !== 'none',
    duration: durationLabel(meeting.durationMinutes, locale),
    cancelled: meeting.cancelledAt !== null,
    next: u.next.slice(0, limit).map((o) => occurrenceView(o, meeting.timeZone, viewerZone, locale)),
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
