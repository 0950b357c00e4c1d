/**
 * Hearth's default moderation policies: what a circle starts with until its
 * members decide otherwise (through a proposal), and the plain words the
 * interface uses for reasons and actions.
 */

export type QuorumFallback = 'stands' | 'advisory' | 'extend';

export interface CirclePolicy {
  /** How long a second moderator has to confirm a safety action before it lapses. */
  confirmHours: number;
  /** Length of an elected moderator's term. */
  termDays: number;
  /** Share of the circle's members whose ballots make a vote count. */
  quorumPercent: number;
  /** What happens when a majority vote closes without quorum. */
  quorumFallback: QuorumFallback;
  /** New members' first post in the circle waits for a moderator. */
  firstPostsHeld: boolean;
  /** Every post needs a content warning. */
  contentWarningRequired: boolean;
  /** Words or phrases that hold a post for a moderator to look at (never reject it). */
  keywordFilters: string[];
}

export const DEFAULT_POLICY: CirclePolicy = {
  confirmHours: 72,
  termDays: 90,
  quorumPercent: 20,
  quorumFallback: 'extend',
  firstPostsHeld: false,
  contentWarningRequired: false,
  keywordFilters: [],
};

export const POLICY_LIMITS = {
  confirmHours: { min: 1, max: 336 },
  termDays: { min: 7, max: 730 },
  quorumPercent: { min: 0, max: 100 },
  keywordFilters: { max: 50, length: 60 },
};

/** A new circle's founder moderates until the first election, or for this long. */
export const FOUNDER_DAYS = 30;
/** One moderator alone may mute someone for at most this long. */
export const SOLO_MUTE_HOURS = 72;
/** Seats filled by an election unless the proposal says otherwise. */
export const DEFAULT_SEATS = 2;
/** Reports one member may make in an hour. */
export const REPORTS_PER_HOUR = 10;
/** A random appeal panel's size (when fewer than two moderators are uninvolved). */
export const APPEAL_PANEL_SIZE = 3;
/** How long a vote stays open by default, and its limits. */
export const VOTING_DAYS = { default: 7, min: 1, max: 60 };
export const NOMINATION_DAYS = { default: 7, min: 1, max: 30 };

/** The agreements every circle (and the instance) starts with, until members change them. */
export const DEFAULT_AGREEMENTS: readonly string[] = [
  'We speak from our own experience and don’t tell others what their experiences mean.',
  'We treat each other with respect, including when we disagree.',
  'What is shared here stays here: we don’t repost others’ words or details elsewhere.',
  'We add a content warning when writing about things that can be hard to read.',
  'No harassment, threats, or hateful words about anyone.',
  'No selling, advertising or spam.',
  'Nobody here calls police or emergency services about what someone writes.',
];

export type ReportReason = 'agreements' | 'harassment' | 'spam' | 'other';

export const REPORT_REASONS: ReadonlyArray<{ value: ReportReason; label: string; hint: string }> = [
  { value: 'agreements', label: 'It goes against our agreements', hint: 'Moderators of the circle will look at it.' },
  { value: 'harassment', label: 'Harassment or threats', hint: 'Moderators of the circle will look at it.' },
  { value: 'spam', label: 'Spam or advertising', hint: 'Moderators of the circle will look at it.' },
  { value: 'other', label: 'Something else', hint: 'Tell the moderators in your note.' },
];

export function reasonLabel(reason: string): string {
  return REPORT_REASONS.find((r) => r.value === reason)?.label ?? reason;
}
