import type { Database } from '../../storage/database.js';
import { findMemberByHandle } from '../../storage/repositories/member-repository.js';
import * as repo from '../../storage/repositories/wellbeing-repository.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotFoundError, NotSignedInError, ValidationError, type FieldErrors } from '../errors.js';
import { normalizeHandle } from '../handles.js';
import type { Member } from '../members/member.js';
import { optionalText } from '../text-rules.js';
import { breakState, localTime, loosens, type BreakSettings, type BreakState } from './break-rules.js';
import { PLAN_SECTION_LIMIT, PLAN_SECTIONS, type SupportPlan } from './support-plan.js';
import { msg } from '../../i18n/message.js';

export type PlanInput = Partial<Record<(typeof PLAN_SECTIONS)[number]['field'], string>>;

export interface BreakInput {
  quietFrom?: string;
  quietTo?: string;
  timeZone?: string;
  dailyMinutes?: string;
  lockUntil?: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LOCK_MAX_DAYS = 90;

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError();
  if (actor.status !== 'active') throw new ForbiddenError(msg('accounts.error.account_cannot'));
  return actor;
}

export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(zone) && zone !== 'UTC') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (error) {
    // Intl says a zone it does not know is out of range.
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function minuteOf(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * A member's own wellbeing tools. "What helps me" is private to its author and
 * the members they name (nobody else, stewards included, can open it; it never
 * federates). Breaks are rules a member sets for themselves.
 */
export class WellbeingService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async myPlan(actor: Member | undefined): Promise<{ plan: SupportPlan | undefined; readers: Array<{ handle: string; displayName: string }>; sharedWithMe: Array<{ handle: string; displayName: string }> }> {
    const member = requireMember(actor);
    return {
      plan: await repo.findPlan(this.db, member.id),
      readers: await repo.readersOf(this.db, member.id),
      sharedWithMe: await repo.plansSharedWith(this.db, member.id),
    };
  }

  async savePlan(actor: Member | undefined, input: PlanInput): Promise<void> {
    const member = requireMember(actor);
    const errors: FieldErrors = {};
    const clean = Object.fromEntries(
      PLAN_SECTIONS.map((s) => [s.field, optionalText(errors, s.field, input[s.field], s.label, PLAN_SECTION_LIMIT)]),
    ) as Omit<SupportPlan, 'updatedAt'>;
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await repo.savePlan(this.db, member.id, clean, this.clock.now());
  }

  async share(actor: Member | undefined, rawHandle: string | undefined): Promise<void> {
    const member = requireMember(actor);
    const handle = normalizeHandle(rawHandle ?? '');
    const reader = handle ? await findMemberByHandle(this.db, handle) : undefined;
    if (!reader || reader.status !== 'active') throw new ValidationError({ shareHandle: msg('accounts.error.no_member') });
    if (reader.id === member.id) throw new ValidationError({ shareHandle: msg('accounts.error.plan_yours') });
    await repo.shareWith(this.db, member.id, reader.id, this.clock.now());
  }

  async unshare(actor: Member | undefined, rawHandle: string | undefined): Promise<void> {
    const member = requireMember(actor);
    const reader = await findMemberByHandle(this.db, normalizeHandle(rawHandle ?? ''));
    if (reader) await repo.unshare(this.db, member.id, reader.id);
  }

  /** Someone's plan, for them or a member they named; anyone else gets the same "not here" as for no plan. */
  async readPlan(viewer: Member | undefined, ownerHandle: string): Promise<{ owner: Member; plan: SupportPlan }> {
    const notHere = new NotFoundError();
    if (!viewer || viewer.status !== 'active') throw notHere;
    const owner = await findMemberByHandle(this.db, normalizeHandle(ownerHandle));
    if (!owner || owner.status !== 'active') throw notHere;
    if (owner.id !== viewer.id && !(await repo.isSharedWith(this.db, owner.id, viewer.id))) throw notHere;
    const plan = await repo.findPlan(this.db, owner.id);
    if (!plan) throw notHere;
    return { owner, plan };
  }

  async breakSettings(actor: Member | undefined): Promise<{ settings: BreakSettings | undefined; locked: boolean }> {
    const settings = await repo.findBreakSettings(this.db, requireMember(actor).id);
    return { settings, locked: !!settings?.lockedUntil && settings.lockedUntil > this.clock.now() };
  }

  /** Saves (or, with everything empty, removes) a member's break settings; a lock only lets them tighten. */
  async saveBreak(actor: Member | undefined, input: BreakInput): Promise<BreakSettings | null> {
    const member = requireMember(actor);
    const errors: FieldErrors = {};
    const at = this.clock.now();
    const zone = (input.timeZone ?? '').trim() || 'UTC';
    if (!isTimeZone(zone)) errors.timeZone = msg('accounts.error.zone_from_list');
    const fromText = (input.quietFrom ?? '').trim();
    const toText = (input.quietTo ?? '').trim();
    let quietFrom: number | null = null;
    let quietTo: number | null = null;
    if (fromText !== '' || toText !== '') {
      const from = minuteOf(fromText);
      const to = minuteOf(toText);
      if (from === undefined) errors.quietFrom = msg('accounts.error.time_like', { example: '22:00' });
      if (to === undefined) errors.quietTo = msg('accounts.error.time_like', { example: '07:00' });
      if (from !== undefined && to !== undefined && from === to) errors.quietTo = msg('accounts.error.quiet_same');
      quietFrom = from ?? null;
      quietTo = to ?? null;
    }
    let dailyMinutes: number | null = null;
    const dailyText = (input.dailyMinutes ?? '').trim();
    if (dailyText !== '') {
      const n = Number(dailyText);
      if (!Number.isInteger(n) || n < 5 || n > 1440) errors.dailyMinutes = msg('accounts.error.daily_minutes', { min: 5, max: 1440 });
      else dailyMinutes = n;
    }
    let lockedUntil: Date | null = null;
    const lockText = (input.lockUntil ?? '').trim();
    if (lockText !== '') {
      const when = /^\d{4}-\d{2}-\d{2}$/.test(lockText) ? new Date(`${lockText}T23:59:00Z`) : new Date(NaN);
      if (Number.isNaN(when.getTime())) errors.lockUntil = msg('accounts.error.date_like', { example: '2026-12-31' });
      else if (when <= at) errors.lockUntil = msg('accounts.error.lock_future');
      else if (when.getTime() - at.getTime() > LOCK_MAX_DAYS * 86_400_000) errors.lockUntil = msg('accounts.error.lock_max', { days: LOCK_MAX_DAYS });
      else lockedUntil = when;
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const current = await repo.findBreakSettings(this.db, member.id);
    // Keep a running lock when the form leaves the date empty.
    if (lockedUntil === null && current?.lockedUntil && current.lockedUntil > at) lockedUntil = current.lockedUntil;
    const empty = quietFrom === null && dailyMinutes === null && lockedUntil === null;
    const next: BreakSettings | null = empty ? null : { quietFrom, quietTo, timeZone: zone, dailyMinutes, lockedUntil };
    const problem = loosens(current, next, at);
    if (problem) throw new ConflictError(problem);
    await repo.saveBreakSettings(this.db, member.id, next, at);
    return next;
  }

  /** Whether the member is on a break they set; counts this minute of use when they have a daily limit. */
  async checkBreak(member: Member): Promise<BreakState & { locked?: boolean }> {
    const settings = await repo.findBreakSettings(this.db, member.id);
    if (!settings) return { onBreak: false };
    const at = this.clock.now();
    const { day } = localTime(at, settings.timeZone);
    const minutes = settings.dailyMinutes !== null ? await repo.minutesOn(this.db, member.id, day) : 0;
    const state = breakState(settings, at, minutes);
    if (!state.onBreak && settings.dailyMinutes !== null) await repo.recordActiveMinute(this.db, member.id, day, at);
    return { ...state, locked: !!settings.lockedUntil && settings.lockedUntil > at };
  }

  /** For the member's export. */
  async exportFor(memberId: number): Promise<unknown> {
    return {
      plan: (await repo.findPlan(this.db, memberId)) ?? null,
      sharedWith: (await repo.readersOf(this.db, memberId)).map((r) => r.handle),
      breaks: (await repo.findBreakSettings(this.db, memberId)) ?? null,
    };
  }
}
