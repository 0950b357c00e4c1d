import { msg, type MessageRef } from '../../i18n/message.js';

/**
 * Breaks a member sets for themselves, as pure rules: quiet hours (which may
 * cross midnight, in the member's own time zone, so DST changes are handled by
 * the zone) and a daily limit of active minutes; a lock keeps them from being
 * loosened until a date the member chose.
 */
export interface BreakSettings {
  /** Minutes after local midnight; both null for no quiet hours. */
  quietFrom: number | null;
  quietTo: number | null;
  timeZone: string;
  dailyMinutes: number | null;
  lockedUntil: Date | null;
}

export type BreakState = { onBreak: false } | { onBreak: true; reason: 'quiet_hours' | 'daily_limit'; until: Date };

/** The local date (YYYY-MM-DD) and minute of the day at `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: string; minute: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Whether `minute` falls in [from, to), a range that may cross midnight. */
export function inQuietHours(minute: number, from: number, to: number): boolean {
  if (from === to) return false;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/**
 * The next moment (searching minute by minute, at most two days ahead) at
 * which `predicate` stops holding: when the break ends.
 */
function nextChange(at: Date, timeZone: string, holds: (local: { day: string; minute: number }) => boolean): Date {
  const start = Math.floor(at.getTime() / 60_000) * 60_000;
  for (let i = 1; i <= 2 * 24 * 60; i++) {
    const t = new Date(start + i * 60_000);
    if (!holds(localTime(t, timeZone))) return t;
  }
  return new Date(start + 2 * 86_400_000);
}

export function breakState(s: BreakSettings | undefined, at: Date, minutesToday: number): BreakState {
  if (!s) return { onBreak: false };
  const local = localTime(at, s.timeZone);
  if (s.quietFrom !== null && s.quietTo !== null && inQuietHours(local.minute, s.quietFrom, s.quietTo)) {
    const from = s.quietFrom;
    const to = s.quietTo;
    return { onBreak: true, reason: 'quiet_hours', until: nextChange(at, s.timeZone, (l) => inQuietHours(l.minute, from, to)) };
  }
  if (s.dailyMinutes !== null && minutesToday >= s.dailyMinutes) {
    return { onBreak: true, reason: 'daily_limit', until: nextChange(at, s.timeZone, (l) => l.day === local.day) };
  }
  return { onBreak: false };
}

/**
 * While settings are locked, changes may only tighten them: quiet hours may
 * grow but not shrink or go, a daily limit may get shorter but not longer or
 * go, and the lock itself may be extended but not shortened. Returns the
 * problem (the page shows the lock's date next to it), or null when the change is allowed.
 */
export function loosens(current: BreakSettings | undefined, next: BreakSettings | null, at: Date): MessageRef | null {
  if (!current || !current.lockedUntil || current.lockedUntil <= at) return null;
  const message = msg('accounts.error.break_locked');
  if (!next) return message;
  if (next.lockedUntil === null || next.lockedUntil < current.lockedUntil) return message;
  if (current.dailyMinutes !== null && (next.dailyMinutes === null || next.dailyMinutes > current.dailyMinutes)) return message;
  if (current.quietFrom !== null && current.quietTo !== null) {
    if (next.quietFrom === null || next.quietTo === null) return message;
    // Every quiet minute of the current range must stay quiet (checked minute by minute: ranges may wrap).
    if (next.timeZone !== current.timeZone) return message;
    for (let m = 0; m < 1440; m++) {
      if (inQuietHours(m, current.quietFrom, current.quietTo) && !inQuietHours(m, next.quietFrom, next.quietTo)) return message;
    }
  }
  return null;
}
