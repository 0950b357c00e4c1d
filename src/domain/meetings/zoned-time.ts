/**
 * Wall-clock time in IANA time zones, with nothing but Intl (Temporal is not
 * available): a meeting is "19:00 on Tuesdays in Europe/Berlin", and stays at
 * 19:00 local when the zone changes its offset.
 */

/** A calendar date with no zone: year, month 1-12, day 1-31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock time: hour 0-23, minute 0-59. */
export interface CivilTime {
  hour: number;
  minute: number;
}

export interface LocalDateTime extends CivilDate, CivilTime {
  second: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** IANA names look like Area/Location (a few are single words, like UTC). Offsets such as +01:00 are not zones. */
const ZONE_NAME = /^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:\/[A-Za-z0-9_+-]+){0,2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

let zoneIndex: Map<string, string> | undefined;

/**
 * The zone's name as Hearth keeps it (e.g. "europe/berlin" → "Europe/Berlin"),
 * or undefined when this runtime does not know it. A name written properly is
 * kept as written, so "Asia/Kolkata" stays "Asia/Kolkata" even where the
 * runtime's own list still calls it "Asia/Calcutta".
 */
export function canonicalTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 64 || !ZONE_NAME.test(trimmed)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch (error) {
    // Intl says a zone it does not know is out of range.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  zoneIndex ??= new Map(['UTC', ...knownTimeZones()].map((z) => [z.toLowerCase(), z]));
  const listed = zoneIndex.get(trimmed.toLowerCase());
  if (listed) return listed;
  return trimmed.split('/').every((part) => /^[A-Z]/.test(part)) ? trimmed : resolved;
}

/** Every zone this runtime knows, for the form's suggestions. */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['UTC'];
}

/** The wall-clock reading in `zone` at `instant`. */
export function localAt(instant: Date, zone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function utcMs(d: CivilDate, t: CivilTime, second = 0): number {
  const ms = Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute, second);
  // Date.UTC maps years 0-99 to 1900-1999.
  if (d.year >= 0 && d.year < 100) return new Date(ms).setUTCFullYear(d.year);
  return ms;
}

/** Minutes east of UTC in `zone` at `instant` (Berlin in winter: 60). */
export function offsetMinutes(instant: Date, zone: string): number {
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  const l = localAt(new Date(whole), zone);
  return Math.round((utcMs(l, l, l.second) - whole) / MINUTE_MS);
}

/**
 * The instant when the wall clock in `zone` shows `date` at `time`. In a gap
 * (clocks jump forward) the time is read with the offset before the gap, so
 * 02:30 on a spring-forward night becomes 03:30, as RFC 5545 says; in an
 * overlap (clocks go back) the first of the two is chosen.
 */
export function zonedInstant(date: CivilDate, time: CivilTime, zone: string): Date {
  const wall = utcMs(date, time);
  // The offsets in force a day either side bound every candidate.
  const before = offsetMinutes(new Date(wall - DAY_MS), zone);
  const after = offsetMinutes(new Date(wall + DAY_MS), zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((ms) => offsetMinutes(new Date(ms), zone) * MINUTE_MS === wall - ms)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // In the gap: read with the offset before the jump.
  return new Date(wall - before * MINUTE_MS);
}

/** "+01:00", "-03:30", "+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** xsd:dateTime with the zone's offset at that instant: 2026-03-03T19:00:00+01:00. */
export function isoInZone(instant: Date, zone: string): string {
  const l = localAt(instant, zone);
  return `${formatCivilDate(l)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}${formatOffset(offsetMinutes(instant, zone))}`;
}

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** YYYY-MM-DD. */
export function formatCivilDate(d: CivilDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** HH:MM. */
export function formatCivilTime(t: CivilTime): string {
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** A YYYY-MM-DD date that exists in the calendar (no 31 April), or undefined. */
export function parseCivilDate(text: string): CivilDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month)) return undefined;
  return d;
}

/** An HH:MM (24-hour) time, or undefined. Seconds, as some browsers send, are accepted when zero. */
export function parseCivilTime(text: string): CivilTime | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(text.trim());
  if (!m) return undefined;
  const t = { hour: Number(m[1]), minute: Number(m[2]) };
  return t.hour <= 23 && t.minute <= 59 ? t : undefined;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(d: CivilDate): number {
  return new Date(utcMs(d, { hour: 12, minute: 0 })).getUTCDay();
}

export function addDays(d: CivilDate, days: number): CivilDate {
  const t = new Date(utcMs(d, { hour: 12, minute: 0 }) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((utcMs(b, { hour: 12, minute: 0 }) - utcMs(a, { hour: 12, minute: 0 })) / DAY_MS);
}

export function compareCivilDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
