import type { LogEntry } from '../../moderation/index.js';
import { msg, type MessageRef } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages/index.js';

/** A short label for each kind of public-log entry (a catalogue key under moderation.event.*). */
export const EVENT_WORDS: Record<string, MessageKey> = {
  acted: 'moderation.event.acted',
  proposed: 'moderation.event.proposed',
  emergency: 'moderation.event.emergency',
  confirmed: 'moderation.event.confirmed',
  lapsed: 'moderation.event.lapsed',
  ended: 'moderation.event.ended',
  appealed: 'moderation.event.appealed',
  appeal_upheld: 'moderation.event.appeal_upheld',
  appeal_overturned: 'moderation.event.appeal_overturned',
  report_closed: 'moderation.event.report',
  report_malicious: 'moderation.event.report',
  rules_changed: 'moderation.event.rules',
  stepped_back: 'moderation.event.stepped_back',
  held_post_shown: 'moderation.event.review',
  held_post_kept_back: 'moderation.event.review',
  proposal_opened: 'moderation.event.proposal',
  voting_opened: 'moderation.event.vote',
  vote_extended: 'moderation.event.vote',
  proposal_closed: 'moderation.event.decision',
  join_welcomed: 'moderation.event.joining',
  join_declined: 'moderation.event.joining',
  password_reset_issued: 'moderation.event.account',
  join_approved: 'moderation.event.joining',
  circle_opened: 'moderation.event.new_circle',
  instance_rules_changed: 'moderation.event.rules',
  steward_created: 'moderation.event.stewards',
  steward_term_ended: 'moderation.event.stewards',
};

/** Log entries with their kind's label, as a message the page puts into its language ({{text eventWords}}). */
export function withEventWords(entries: LogEntry[]): Array<LogEntry & { eventWords: MessageRef }> {
  return entries.map((e) => ({ ...e, eventWords: msg(EVENT_WORDS[e.event] ?? 'moderation.event.entry') }));
}

/** States an action can be in, each worded under moderation.status.action.<status>. */
export const ACTION_STATUSES = ['awaiting', 'pending', 'standing', 'lapsed', 'declined', 'ended', 'overturned', 'put_to_vote'] as const;

/** States a proposal can be in, each worded under moderation.status.proposal.<status>. */
export const PROPOSAL_STATUSES = ['nominating', 'open', 'passed', 'rejected', 'advisory', 'no_quorum'] as const;

/** The catalogue key for an action's or a proposal's state, or undefined for a state Hearth has no words for. */
export function statusKey(kind: 'action' | 'proposal', status: string): MessageKey | undefined {
  const known: readonly string[] = kind === 'proposal' ? PROPOSAL_STATUSES : ACTION_STATUSES;
  return known.includes(status) ? (`moderation.status.${kind}.${status}` as MessageKey) : undefined;
}
