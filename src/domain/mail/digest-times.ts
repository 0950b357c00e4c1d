import { localAt, zonedInstant } from '../meetings/zoned-time.js';

/** Digests are put together at this hour of the member's own morning (weekly ones on Mondays). */
export const DIGEST_HOUR = 7;
const DAY_MS = 86_400_000;

/**
 * The most recent digest time at or before `now` in `zone`: today's (or
 * yesterday's) 07:00 for a daily digest, the last Monday's 07:00 for a weekly one.
 */
export function latestDigestTime(now: Date, zone: string, cadence: 'daily' | 'weekly'): Date {
  const local = localAt(now, zone);
  const today = Date.UTC(local.year, local.month - 1, local.day);
  const weekday = new Date(today).getUTCDay(); // 0 = Sunday
  let daysBack = cadence === 'daily' ? 0 : (weekday + 6) % 7;
  if (daysBack === 0 && local.hour < DIGEST_HOUR) daysBack = cadence === 'daily' ? 1 : 7;
  const day = new Date(today - daysBack * DAY_MS);
  return zonedInstant({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, { hour: DIGEST_HOUR, minute: 0 }, zone);
}
