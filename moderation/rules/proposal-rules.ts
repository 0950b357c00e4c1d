/**
 * Counting a proposal's ballots, free of storage: majority votes, consent
 * (passes unless someone objects with a reason) and elections, and what
 * happens when too few people voted.
 */
import { msg, type MessageRef } from '../../src/i18n/message.js';
import type { QuorumFallback } from '../policies/defaults.js';

export type ProposalKind =
  | 'election'
  | 'recall'
  | 'agreements'
  | 'instance_block'
  | 'action'
  /** Amend, add or remove one agreement. */
  | 'agreement_change'
  /** Open a new circle (instance scope). */
  | 'new_circle'
  /** Change one of the instance's rules (instance scope). */
  | 'instance_setting'
  /** Change a circle's accountability rules: term, quorum, fallback, confirmation window. */
  | 'circle_rules';
export type ProposalMode = 'majority' | 'consent';
export type ProposalStatus = 'nominating' | 'open' | 'passed' | 'rejected' | 'advisory' | 'no_quorum';

export const MAJORITY_CHOICES = ['yes', 'no', 'abstain'] as const;
export const CONSENT_CHOICES = ['consent', 'object'] as const;

export interface Ballot {
  choice: string;
  reason: string;
}

export interface TallyInput {
  kind: ProposalKind;
  mode: ProposalMode;
  ballots: readonly Ballot[];
  /** Ballots needed for a majority vote to count. */
  quorum: number;
  /** Candidates (member ids as text) for an election. */
  candidates?: readonly string[];
  seats?: number;
}

export interface Tally {
  turnout: number;
  totals: Record<string, number>;
  quorumMet: boolean;
  /** Whether the proposal carries (for an election: whether anyone is elected). */
  carries: boolean;
  /** Elected candidates, most votes first. */
  winners: string[];
  objections: number;
}

export function tally(input: TallyInput): Tally {
  const totals: Record<string, number> = {};
  const options =
    input.kind === 'election' ? [...(input.candidates ?? []), 'abstain'] : input.mode === 'consent' ? [...CONSENT_CHOICES] : [...MAJORITY_CHOICES];
  for (const o of options) totals[o] = 0;
  for (const b of input.ballots) if (b.choice in totals) totals[b.choice]! += 1;
  const turnout = input.ballots.length;
  const objections = totals.object ?? 0;
  // Silence is consent: a consent decision needs no quorum.
  const quorumMet = input.mode === 'consent' || turnout >= input.quorum;
  let carries: boolean;
  let winners: string[] = [];
  if (input.kind === 'election') {
    const ranked = (input.candidates ?? [])
      .map((c, i) => ({ c, n: totals[c] ?? 0, i }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n || a.i - b.i);
    const seats = input.seats ?? 1;
    // A tie for the last seat seats nobody in it: the group decides again.
    const cut = ranked[seats - 1]?.n;
    winners = ranked.filter((x, idx) => idx < seats && !(cut !== undefined && ranked[seats] && ranked[seats]!.n === cut && x.n === cut)).map((x) => x.c);
    carries = winners.length > 0;
  } else if (input.mode === 'consent') {
    carries = objections === 0;
  } else {
    carries = (totals.yes ?? 0) > (totals.no ?? 0);
  }
  return { turnout, totals, quorumMet, carries, winners, objections };
}

export type Closing =
  | { status: 'passed' | 'rejected'; note: string }
  | { status: 'advisory'; note: string }
  | { status: 'no_quorum'; note: string }
  | { status: 'extend'; note: string };

/** What the deadline brings, given the tally and the circle's fallback. */
export function close(t: Tally, fallback: QuorumFallback, alreadyExtended: boolean): Closing {
  if (t.quorumMet) return t.carries ? { status: 'passed', note: '' } : { status: 'rejected', note: '' };
  switch (fallback) {
    case 'stands':
      return t.carries
        ? { status: 'passed', note: 'Fewer people voted than the quorum; the circle decided such results stand.' }
        : { status: 'rejected', note: 'Fewer people voted than the quorum; the circle decided such results stand.' };
    case 'advisory':
      return { status: 'advisory', note: 'Fewer people voted than the quorum, so the result is advice, not a decision.' };
    case 'extend':
      return alreadyExtended
        ? { status: 'no_quorum', note: 'Fewer people voted than the quorum, even after the vote was extended once.' }
        : { status: 'extend', note: 'Fewer people voted than the quorum, so the vote was extended once.' };
  }
}

/** Ballots needed out of `eligible` members at `percent`; at least one when anyone can vote. */
export function quorumFor(eligible: number, percent: number): number {
  if (eligible === 0) return 0;
  return Math.max(1, Math.ceil((eligible * percent) / 100));
}

/** Checks one ballot; returns a message when it is not valid. */
export function checkBallot(input: { kind: ProposalKind; mode: ProposalMode; candidates?: readonly string[] }, ballot: Ballot): MessageRef | null {
  if (input.kind === 'election') {
    if (ballot.choice !== 'abstain' && !(input.candidates ?? []).includes(ballot.choice)) return msg('governance.error.choose_candidate');
    return null;
  }
  if (input.mode === 'consent') {
    if (!(CONSENT_CHOICES as readonly string[]).includes(ballot.choice)) return msg('governance.error.consent_or_object');
    if (ballot.choice === 'object' && ballot.reason.trim() === '') return msg('governance.error.objection_reason');
    return null;
  }
  if (!(MAJORITY_CHOICES as readonly string[]).includes(ballot.choice)) return msg('governance.error.yes_no_abstain');
  return null;
}
