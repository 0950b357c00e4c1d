/** Plain types the moderation module hands to the web and federation layers. */
import type { ActionKind, ActionStatus } from './rules/action-rules.js';
import type { AppealDecision, AppealRoute } from './rules/appeal-rules.js';
import type { ProposalKind, ProposalMode, ProposalStatus, Tally } from './rules/proposal-rules.js';
import type { ReportOutcome, ReportStatus } from './rules/report-rules.js';
import type { ReportReason } from './policies/defaults.js';
import type { Text } from '../src/i18n/translate.js';

export interface Report {
  id: number;
  circleId: number | null;
  reporterId: number | null;
  originHost: string | null;
  postId: number | null;
  memberId: number | null;
  remoteActorId: number | null;
  reason: ReportReason;
  note: string;
  forward: boolean;
  /** What the other server receives with a forwarded report (the note itself when null). */
  forwardNote: string | null;
  status: ReportStatus;
  outcome: ReportOutcome | null;
  outcomeNote: string;
  handledBy: number | null;
  createdAt: Date;
  closedAt: Date | null;
  /** A message in a private conversation (reports about one go to the stewards). */
  conversationMessageId: number | null;
  /** Whether the reporter chose to show the stewards that message's text. */
  messageTextShared: boolean;
}

export interface ModerationAction {
  id: number;
  circleId: number | null;
  kind: ActionKind;
  status: ActionStatus;
  postId: number | null;
  threadId: number | null;
  memberId: number | null;
  remoteActorId: number | null;
  remoteHost: string | null;
  reportId: number | null;
  agreement: string;
  reason: string;
  detail: ActionDetail;
  withholdName: boolean;
  actedBy: number | null;
  confirmedBy: number | null;
  createdAt: Date;
  confirmBy: Date | null;
  effectiveAt: Date | null;
  endsAt: Date | null;
  settledAt: Date | null;
}

export interface ActionDetail {
  /** For check-ins: the message. */
  message?: string;
  /** For added content warnings: the warning, and what was there before. */
  contentWarning?: string;
  previousContentWarning?: string | null;
  /** For slowed threads: seconds between one member's posts. */
  slowSeconds?: number;
  /** A post's state before it was hidden. */
  previousState?: string;
  /** The author of the post acted on (so appeals and involvement know them). */
  postAuthorId?: number | null;
  /** For remote accounts: their address. */
  remoteHandle?: string;
  proposalId?: number;
  /** A stewards' emergency act, in effect before the members' vote. */
  emergency?: boolean;
}

export interface Appeal {
  id: number;
  actionId: number;
  memberId: number | null;
  statement: string;
  route: AppealRoute;
  status: 'open' | 'upheld' | 'overturned';
  createdAt: Date;
  decidedAt: Date | null;
  deciders: Array<{ memberId: number; decision: AppealDecision | null }>;
}

export interface LogEntry {
  id: number;
  circleId: number | null;
  at: Date;
  event: string;
  /** What happened, in English as written. */
  summary: string;
  /** What happened, for each reader's language: the stored message, else the English summary. */
  summaryText: Text;
  agreement: string;
  reason: string;
  moderators: string[];
  subject: string | null;
  actionId: number | null;
  proposalId: number | null;
  appealId: number | null;
  /** The circle it happened in (null for the instance), where the entry was read with it. */
  circle?: { slug: string; name: string } | null;
}

export interface Proposal {
  id: number;
  circleId: number | null;
  kind: ProposalKind;
  title: string;
  body: string;
  mode: ProposalMode;
  payload: ProposalPayload;
  status: ProposalStatus;
  quorum: number;
  eligible: number;
  quorumFallback: 'stands' | 'advisory' | 'extend';
  extended: boolean;
  createdBy: number | null;
  createdAt: Date;
  votingOpensAt: Date;
  deadline: Date;
  decidedAt: Date | null;
  outcome: (Tally & { note: string }) | null;
}

export interface ProposalPayload {
  /** Elections: how many moderators to seat. */
  seats?: number;
  /** Recalls: the moderator term in question. */
  termId?: number;
  memberId?: number;
  /** Agreement changes: the new list. */
  items?: string[];
  /** Instance blocks: the server. */
  host?: string;
  /** Votes on a serious action. */
  actionId?: number;
  /** One agreement amended, added or removed (number counted from 1). */
  change?: 'amend' | 'add' | 'remove';
  number?: number;
  text?: string;
  /** A new circle. */
  circle?: { slug: string; name: string; purpose: string; visibility: 'public' | 'members' };
  /** An instance rule and its new value. */
  setting?: string;
  value?: number | boolean;
  /** A circle's accountability rules: the fields that change, with their new values. */
  rules?: { confirmHours?: number; termDays?: number; quorumPercent?: number; quorumFallback?: 'stands' | 'advisory' | 'extend' };
}

export interface Nomination {
  memberId: number;
  handle: string;
  displayName: string;
  accepted: boolean;
}

export interface Moderator {
  memberId: number;
  handle: string;
  displayName: string;
  founder: boolean;
  termId: number | null;
  until: Date;
}

/** A private message from a circle's moderators about a member's post (never a peer's check-in). */
export interface ModeratorMessage {
  id: number;
  circleId: number | null;
  circleName: string | null;
  circleSlug: string | null;
  postId: number | null;
  /** The agreement the moderators named. */
  agreement: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface AgreementVersion {
  circleId: number | null;
  version: number;
  items: string[];
  proposalId: number | null;
  createdAt: Date;
}
