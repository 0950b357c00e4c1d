import { msg, type MessageRef } from '../i18n/message.js';
import type { Locale } from '../i18n/locales.js';
import { canonicalTimeZone, formatOffset, knownTimeZones, offsetMinutes } from './meetings/zoned-time.js';

/**
 * The time zones people choose from (their own, the instance's, a meeting's),
 * with names people recognise: grouped by region, each by its city, with its
 * current offset from UTC. Everything comes from Intl (the runtime's IANA
 * database); nothing here does date arithmetic by hand.
 */

export const DEFAULT_TIME_ZONE = 'UTC';

export interface ZoneChoice {
  /** The IANA name, e.g. "America/New_York". */
  value: string;
  /** "New York (UTC−05:00)". */
  label: string;
  /** "New York". */
  city: string;
}

export interface ZoneGroup {
  region: string;
  zones: ZoneChoice[];
}

/** How the first part of an IANA name reads as a region. */
const REGIONS: Record<string, string> = {
  Africa: 'Africa',
  America: 'Americas',
  Antarctica: 'Antarctica',
  Arctic: 'Arctic',
  Asia: 'Asia',
  Atlantic: 'Atlantic Ocean',
  Australia: 'Australia',
  Europe: 'Europe',
  Indian: 'Indian Ocean',
  Pacific: 'Pacific Ocean',
};

/** Every zone offered: UTC first, then the runtime's list. */
export function zoneNames(): string[] {
  const known = knownTimeZones();
  return known.includes(DEFAULT_TIME_ZONE) ? known : [DEFAULT_TIME_ZONE, ...known];
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires (Argentina)"; "Europe/Berlin" → "Berlin". */
export function cityOf(zone: string): string {
  const parts = zone.split('/').map((p) => p.replace(/_/g, ' '));
  if (parts.length === 1) return parts[0] === 'UTC' ? 'UTC (Coordinated Universal Time)' : parts[0]!;
  const city = parts[parts.length - 1]!;
  return parts.length > 2 ? `${city} (${parts.slice(1, -1).join(', ')})` : city;
}

/** "UTC+01:00", "UTC−05:00", "UTC" at `at`. */
export function offsetLabel(zone: string, at: Date): string {
  const minutes = offsetMinutes(at, zone);
  return minutes === 0 ? 'UTC' : `UTC${formatOffset(minutes).replace('-', '−')}`;
}

/** The region a zone is listed under ("Europe", "Americas", or "Other"). */
export function regionOf(zone: string): string {
  if (zone === DEFAULT_TIME_ZONE) return 'Universal';
  const first = zone.split('/')[0]!;
  return zone.includes('/') ? (REGIONS[first] ?? 'Other') : 'Other';
}

/** One zone as a person reads it: "Berlin (UTC+01:00)". */
export function zoneChoice(zone: string, at: Date): ZoneChoice {
  const city = cityOf(zone);
  return { value: zone, city, label: zone === DEFAULT_TIME_ZONE ? city : `${city} (${offsetLabel(zone, at)})` };
}

let cachedGroups: { hour: number; groups: ZoneGroup[] } | undefined;

/** Every zone, grouped by region (in a fixed order), cities in alphabetical order; labels carry the offset at `at`. */
export function zoneGroups(at: Date): ZoneGroup[] {
  // Offsets change at most a few times a year per zone: an hour's cache is plenty.
  const hour = Math.floor(at.getTime() / 3_600_000);
  if (cachedGroups?.hour === hour) return cachedGroups.groups;
  const byRegion = new Map<string, ZoneChoice[]>();
  for (const region of ['Universal', ...Object.values(REGIONS), 'Other']) byRegion.set(region, []);
  for (const zone of zoneNames()) byRegion.get(regionOf(zone))!.push(zoneChoice(zone, at));
  const collator = new Intl.Collator('en');
  const groups = [...byRegion]
    .filter(([, zones]) => zones.length > 0)
    .map(([region, zones]) => ({ region, zones: zones.sort((a, b) => collator.compare(a.city, b.city)) }));
  cachedGroups = { hour, groups };
  return groups;
}

/** Lower case, spaces for underscores, single spaces, no accents: how typed city names are compared. */
function simplify(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[_\s]+/g, ' ').trim().toLowerCase();
}

let cities: Map<string, string[]> | undefined;

function cityIndex(): Map<string, string[]> {
  if (cities) return cities;
  cities = new Map();
  for (const zone of zoneNames()) {
    const key = simplify(zone.split('/').pop()!);
    cities.set(key, [...(cities.get(key) ?? []), zone]);
  }
  return cities;
}

export type ZoneLookup = { ok: true; zone: string } | { ok: false; problem: MessageRef };

/**
 * What someone typed or chose as a time zone: an IANA name in any case
 * ("Europe/Berlin", "europe/berlin"), a city in the list ("Berlin",
 * "new york", "São Paulo"), or one of the list's own labels
 * ("Berlin (UTC+01:00)").
 */
export function resolveTimeZone(text: string): ZoneLookup {
  const typed = text.trim();
  if (typed === '') return { ok: false, problem: msg('common.zone.choose') };
  const named = typed.length <= 64 ? canonicalTimeZone(typed) : undefined;
  if (named) return { ok: true, zone: named };
  // A label from the list: "Berlin (UTC+01:00)", "Buenos Aires (Argentina) (UTC−03:00)".
  const withoutOffset = typed.replace(/\s*\(UTC[^)]*\)\s*$/i, '').replace(/\s*\([^)]*\)\s*$/, '');
  const found = cityIndex().get(simplify(withoutOffset));
  if (found?.length === 1) return { ok: true, zone: found[0]! };
  if (found && found.length > 1) {
    return { ok: false, problem: msg('common.zone.ambiguous', { place: withoutOffset, zones: found.join(' · ') }) };
  }
  return { ok: false, problem: msg('common.zone.unknown') };
}

const dateParts = new Map<string, Intl.DateTimeFormat>();
const zoneNamesShort = new Map<string, Intl.DateTimeFormat[]>();

/** English dates are written the British way ("15 Jan 2026, 13:00"); other languages their own. */
function intlLocale(locale: Locale): string {
  return locale === 'en' ? 'en-GB' : locale;
}

function dateFormat(zone: string, locale: Locale): Intl.DateTimeFormat {
  const id = `${locale} ${zone}`;
  let f = dateParts.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone });
    dateParts.set(id, f);
  }
  return f;
}

/**
 * The zone's short name at `at`, as people know it where there is one
 * ("CET", "BST", "EST", "UTC"), otherwise its offset ("GMT+5:30").
 * British English knows Europe's names, American English North America's.
 */
export function zoneShortName(at: Date, zone: string, locale: Locale = 'en'): string {
  const id = `${locale} ${zone}`;
  let formats = zoneNamesShort.get(id);
  if (!formats) {
    const locales = locale === 'en' ? ['en-GB', 'en-US'] : [locale];
    formats = locales.map((l) => new Intl.DateTimeFormat(l, { timeZone: zone, timeZoneName: 'short' }));
    zoneNamesShort.set(id, formats);
  }
  const names = formats.map((f) => f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? zone);
  return names.find((n) => !/^GMT[+-−]/.test(n)) ?? names[0]!;
}

/**
 * "15 Jan 2026, 13:00 CET" (English), "15. Jan. 2026, 13:00 MEZ" (German):
 * the reader's language through Intl, in the zone given.
 */
export function formatDateTime(at: Date, zone: string, locale: Locale = 'en'): string {
  // Pages show the same times again and again (a thread's 50 posts on every
  // reading): each minute, zone and language is worded once.
  const minute = Math.floor(at.getTime() / 60_000);
  const key = `${locale} ${zone} ${minute}`;
  const known = worded.get(key);
  if (known !== undefined) return known;
  const safe = dateParts.has(`${locale} ${zone}`) ? zone : (canonicalTimeZone(zone) ?? DEFAULT_TIME_ZONE);
  const text = `${dateFormat(safe, locale).format(at)} ${zoneShortName(at, safe, locale)}`;
  if (Number.isNaN(minute)) return text;
  if (worded.size >= WORDED_MAX) worded.clear();
  worded.set(key, text);
  return text;
}

/** formatDateTime's words, by language, zone and minute (the format shows no seconds). */
const worded = new Map<string, string>();
const WORDED_MAX = 20_000;
