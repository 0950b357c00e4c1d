/** What every moderation service needs, and the checks they share. */
import { msg } from '../../src/i18n/message.js';
import type { Circle } from '../../src/domain/circles/circle.js';
import type { Clock } from '../../src/domain/clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError } from '../../src/domain/errors.js';
import type { DomainEvents } from '../../src/domain/events.js';
import type { Member } from '../../src/domain/members/member.js';
import type { Database, Queryable } from '../../src/storage/database.js';
import { findCircleById, findCircleBySlug } from '../../src/storage/repositories/circle-repository.js';
import { FOUNDER_DAYS } from '../policies/defaults.js';
import { currentModerators, memberHandle, memberHandles, stewardIds } from '../storage/roles-store.js';
import type { Moderator } from '../types.js';
import type { NotifierPort } from './notices.js';

export interface ModerationContext {
  db: Database;
  clock: Clock;
  events: DomainEvents;
  /** Random numbers for appeal panels (tests pass a fixed sequence). */
  random: () => number;
  /** Tells members what concerns them (issue 10), inside the transaction of the change. */
  notifier: NotifierPort;
}

export function requireActive(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError();
  if (actor.status !== 'active') throw new ForbiddenError(msg('moderation.error.account_cannot'));
  return actor;
}

export async function circleBySlug(q: Queryable, slug: string): Promise<Circle> {
  const circle = await findCircleBySlug(q, slug);
  if (!circle) throw new NotFoundError(msg('moderation.error.no_such_circle'));
  return circle;
}

export async function circleById(q: Queryable, id: number): Promise<Circle> {
  const circle = await findCircleById(q, id);
  if (!circle) throw new NotFoundError(msg('moderation.error.circle_gone_now'));
  return circle;
}

/**
 * Who moderates a circle right now. When nobody does (the founder's 30 days
 * passed before an election), the instance's stewards keep it safe until an
 * election: every act is in the public log either way.
 */
export async function moderatorsOf(q: Queryable, circleId: number | null, at: Date): Promise<Array<Pick<Moderator, 'memberId' | 'handle'>>> {
  if (circleId === null) return stewardsAsModerators(q);
  const mods = await currentModerators(q, circleId, at, FOUNDER_DAYS);
  if (mods.length > 0) return mods;
  return stewardsAsModerators(q);
}

async function stewardsAsModerators(q: Queryable): Promise<Array<{ memberId: number; handle: string }>> {
  const ids = await stewardIds(q);
  if (ids.length === 0) return [];
  const rows = await memberHandles(q, ids);
  return rows.map((r) => ({ memberId: r.id, handle: r.handle }));
}

/** Whether the member moderates the circle now (for the instance: is a steward). */
export async function moderates(q: Queryable, member: Member, circleId: number | null, at: Date): Promise<boolean> {
  return (await moderatorsOf(q, circleId, at)).some((m) => m.memberId === member.id);
}

export async function assertModerates(q: Queryable, member: Member, circleId: number | null, at: Date): Promise<void> {
  if (!(await moderates(q, member, circleId, at))) {
    throw new ForbiddenError(
      circleId === null ? msg('moderation.error.only_stewards') : msg('moderation.error.only_moderators'),
    );
  }
}

export async function handleOf(q: Queryable, memberId: number | null): Promise<string | null> {
  if (memberId === null) return null;
  return (await memberHandle(q, memberId)) ?? null;
}

/** Hours in a day, for periods given in days. */
export const DAY_HOURS = 24;

export function hoursFrom(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * 3_600_000);
}
