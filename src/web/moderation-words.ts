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
  password_reset_issued: 'Account',
};

export function withEventWords(entries: LogEntry[]): Array<LogEntry & { eventWords: string }> {
  return entries.map((e) => ({ ...e, eventWords: EVENT_WORDS[e.event] ?? 'Entry' }));
}
