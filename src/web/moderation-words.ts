import type { LogEntry } from '../../moderation/index.js';

/** A short label for each kind of public-log entry. */
export const EVENT_WORDS: Record<string, string> = {
  acted: 'Action',
  proposed: 'Proposed',
  emergency: 'Emergency',
  confirmed: 'Confirmed',
  lapsed: 'Lapsed',
  ended: 'Ended',
  appealed: 'Appeal',
  appeal_upheld: 'Appeal heard',
  appeal_overturned: 'Appeal succeeded',
  report_closed: 'Report',
  report_malicious: 'Report',
  rules_changed: 'Rules',
  stepped_back: 'Stepped back',
  held_post_shown: 'Review',
  held_post_kept_back: 'Review',
  proposal_opened: 'Proposal',
  voting_opened: 'Vote',
  vote_extended: 'Vote',
  proposal_closed: 'Decision',
  join_welcomed: 'Joining',
  join_declined: 'Joining',
  password_reset_issued: 'Account',
  join_approved: 'Joining',
  circle_opened: 'New circle',
  instance_rules_changed: 'Rules',
  steward_created: 'Stewards',
  steward_term_ended: 'Stewards',
};

export function withEventWords(entries: LogEntry[]): Array<LogEntry & { eventWords: string }> {
  return entries.map((e) => ({ ...e, eventWords: EVENT_WORDS[e.event] ?? 'Entry' }));
}

/** How an action's state reads on a page. */
export const ACTION_STATUS_WORDS: Record<string, string> = {
  awaiting: 'waiting for a second moderator',
  pending: 'in effect, waiting for a second moderator',
  standing: 'standing',
  lapsed: 'lapsed',
  declined: 'not agreed',
  ended: 'ended',
  overturned: 'overturned',
  put_to_vote: 'put to the members’ vote',
};

/** How a proposal's state reads on a page. */
export const PROPOSAL_STATUS_WORDS: Record<string, string> = {
  nominating: 'taking nominations',
  open: 'open for votes',
  passed: 'accepted',
  rejected: 'not accepted',
  advisory: 'advice only (too few votes)',
  no_quorum: 'not decided (too few votes)',
};
