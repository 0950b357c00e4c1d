import type { BreakSettings } from '../../domain/wellbeing/break-rules.js';
import type { SupportPlan } from '../../domain/wellbeing/support-plan.js';
import type { Queryable } from '../database.js';

interface PlanRow {
  helps: string;
  does_not_help: string;
  early_signs: string;
  hear_from: string;
  anything_else: string;
  updated_at: Date;
}

export async function findPlan(q: Queryable, memberId: number): Promise<SupportPlan | undefined> {
  const rows = await q.query<PlanRow>('SELECT * FROM support_plans WHERE member_id = $1', [memberId]);
  const r = rows[0];
  return r && { helps: r.helps, doesNotHelp: r.does_not_help, earlySigns: r.early_signs, hearFrom: r.hear_from, anythingElse: r.anything_else, updatedAt: r.updated_at };
}

export async function savePlan(q: Queryable, memberId: number, p: Omit<SupportPlan, 'updatedAt'>, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO support_plans (member_id, helps, does_not_help, early_signs, hear_from, anything_else, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (member_id) DO UPDATE SET helps = EXCLUDED.helps, does_not_help = EXCLUDED.does_not_help, early_signs = EXCLUDED.early_signs,
       hear_from = EXCLUDED.hear_from, anything_else = EXCLUDED.anything_else, updated_at = EXCLUDED.updated_at`,
    [memberId, p.helps, p.doesNotHelp, p.earlySigns, p.hearFrom, p.anythingElse, at],
  );
}

export async function shareWith(q: Queryable, ownerId: number, readerId: number, at: Date): Promise<void> {
  await q.query('INSERT INTO support_plan_shares (owner_id, reader_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [ownerId, readerId, at]);
}

export async function unshare(q: Queryable, ownerId: number, readerId: number): Promise<void> {
  await q.query('DELETE FROM support_plan_shares WHERE owner_id = $1 AND reader_id = $2', [ownerId, readerId]);
}

export async function isSharedWith(q: Queryable, ownerId: number, readerId: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM support_plan_shares WHERE owner_id = $1 AND reader_id = $2', [ownerId, readerId])).length > 0;
}

export async function readersOf(q: Queryable, ownerId: number): Promise<Array<{ handle: string; displayName: string }>> {
  const rows = await q.query<{ handle: string; display_name: string }>(
    'SELECT m.handle, m.display_name FROM support_plan_shares s JOIN members m ON m.id = s.reader_id WHERE s.owner_id = $1 ORDER BY m.handle',
    [ownerId],
  );
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name }));
}

export async function plansSharedWith(q: Queryable, readerId: number): Promise<Array<{ handle: string; displayName: string }>> {
  const rows = await q.query<{ handle: string; display_name: string }>(
    `SELECT m.handle, m.display_name FROM support_plan_shares s JOIN members m ON m.id = s.owner_id
      JOIN support_plans p ON p.member_id = s.owner_id WHERE s.reader_id = $1 AND m.status = 'active' ORDER BY m.handle`,
    [readerId],
  );
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name }));
}

export async function findBreakSettings(q: Queryable, memberId: number): Promise<BreakSettings | undefined> {
  const rows = await q.query<{ quiet_from: number | null; quiet_to: number | null; time_zone: string; daily_minutes: number | null; locked_until: Date | null }>(
    'SELECT quiet_from, quiet_to, time_zone, daily_minutes, locked_until FROM break_settings WHERE member_id = $1',
    [memberId],
  );
  const r = rows[0];
  return r && { quietFrom: r.quiet_from, quietTo: r.quiet_to, timeZone: r.time_zone, dailyMinutes: r.daily_minutes, lockedUntil: r.locked_until };
}

export async function saveBreakSettings(q: Queryable, memberId: number, s: BreakSettings | null, at: Date): Promise<void> {
  if (!s) {
    await q.query('DELETE FROM break_settings WHERE member_id = $1', [memberId]);
    return;
  }
  await q.query(
    `INSERT INTO break_settings (member_id, quiet_from, quiet_to, time_zone, daily_minutes, locked_until, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (member_id) DO UPDATE SET quiet_from = EXCLUDED.quiet_from, quiet_to = EXCLUDED.quiet_to, time_zone = EXCLUDED.time_zone,
       daily_minutes = EXCLUDED.daily_minutes, locked_until = EXCLUDED.locked_until, updated_at = EXCLUDED.updated_at`,
    [memberId, s.quietFrom, s.quietTo, s.timeZone, s.dailyMinutes, s.lockedUntil, at],
  );
}

/** Counts the minute `at` for the member's local `day`, at most once per minute; returns the day's minutes. */
export async function recordActiveMinute(q: Queryable, memberId: number, day: string, at: Date): Promise<number> {
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const rows = await q.query<{ minutes: number }>(
    `INSERT INTO activity_minutes (member_id, day, minutes, last_minute) VALUES ($1, $2, 1, $3)
     ON CONFLICT (member_id, day) DO UPDATE SET
       minutes = activity_minutes.minutes + CASE WHEN activity_minutes.last_minute < EXCLUDED.last_minute THEN 1 ELSE 0 END,
       last_minute = GREATEST(activity_minutes.last_minute, EXCLUDED.last_minute)
     RETURNING minutes`,
    [memberId, day, minute],
  );
  return rows[0]!.minutes;
}

export async function minutesOn(q: Queryable, memberId: number, day: string): Promise<number> {
  const rows = await q.query<{ minutes: number }>('SELECT minutes FROM activity_minutes WHERE member_id = $1 AND day = $2', [memberId, day]);
  return rows[0]?.minutes ?? 0;
}
