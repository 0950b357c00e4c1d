/**
 * Who hears an appeal: moderators who had no part in the case, or — when
 * fewer than two of them are left — a small panel drawn at random from
 * members who volunteered, leaving out everyone involved.
 */
import { APPEAL_PANEL_SIZE } from '../policies/defaults.js';

export type AppealRoute = 'moderators' | 'panel';
export type AppealDecision = 'uphold' | 'overturn';

export function chooseDeciders(input: {
  moderators: readonly number[];
  volunteers: readonly number[];
  involved: ReadonlySet<number>;
  random?: () => number;
  panelSize?: number;
}): { route: AppealRoute; deciders: number[] } {
  const uninvolved = unique(input.moderators).filter((id) => !input.involved.has(id));
  if (uninvolved.length >= 2) return { route: 'moderators', deciders: uninvolved };
  const pool = unique(input.volunteers).filter((id) => !input.involved.has(id));
  const random = input.random ?? Math.random;
  // Fisher–Yates on a copy, then the first few.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return { route: 'panel', deciders: pool.slice(0, input.panelSize ?? APPEAL_PANEL_SIZE) };
}

/** Decisions needed: two agreeing moderators, or a majority of the panel. */
export function decisionsNeeded(route: AppealRoute, deciders: number): number {
  if (route === 'moderators') return Math.min(2, deciders);
  return Math.floor(deciders / 2) + 1;
}

/** The appeal's outcome once enough deciders agree; undefined while undecided. */
export function outcome(route: AppealRoute, deciders: number, decisions: readonly AppealDecision[]): AppealDecision | undefined {
  const need = decisionsNeeded(route, deciders);
  const overturn = decisions.filter((d) => d === 'overturn').length;
  const uphold = decisions.filter((d) => d === 'uphold').length;
  if (overturn >= need) return 'overturn';
  if (uphold >= need) return 'uphold';
  // Everyone has decided without a majority either way: the action stands.
  if (decisions.length >= deciders) return 'uphold';
  return undefined;
}

function unique(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}
