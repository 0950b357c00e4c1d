import { isSteward, type Member } from '../members/member.js';
import type { Circle } from './circle.js';

/**
 * Who keeps a circle's meetings and pinned resources: for now the member who
 * opened the circle, and the stewards. This is the one place that decides it,
 * so it can become "the circle's moderators" later.
 */
export function canKeepCircle(member: Member | undefined | null, circle: Pick<Circle, 'createdBy'>): boolean {
  if (!member || member.status !== 'active') return false;
  return isSteward(member) || (circle.createdBy !== null && circle.createdBy === member.id);
}

/**
 * Who keeps a circle, asked at run time. Hearth wires it to the circle's
 * moderators (the founder during its first 30 days, then the elected ones)
 * and the stewards; without moderation, the rule above applies.
 */
export type CircleKeepers = (member: Member | undefined | null, circle: Circle) => Promise<boolean>;

export const openerOrSteward: CircleKeepers = async (member, circle) => canKeepCircle(member, circle);
