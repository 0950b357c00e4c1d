/** Row → type mapping shared by the moderation stores. */
import type { ModerationAction, Report, LogEntry, Proposal } from '../types.js';

import { isMessageRef, type MessageRef } from '../../src/i18n/message.js';
import { hasMessage } from '../../src/i18n/translate.js';

export type Row = Record<string, unknown>;

/**
 * A log entry's stored message (JSON: key and values), when every key in it is
 * still in the catalogues; null otherwise (the entry then shows its English summary).
 */
export function storedMessage(raw: unknown): MessageRef | null {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      if (e instanceof SyntaxError) return null;
      throw e;
    }
  }
  return isKnownMessage(value) ? value : null;
}

function isKnownMessage(value: unknown): value is MessageRef {
  if (!isMessageRef(value) || !hasMessage(value.key)) return false;
  if (value.values === undefined) return true;
  if (typeof value.values !== 'object' || value.values === null) return false;
  return Object.values(value.values).every((v) => typeof v === 'string' || typeof v === 'number' || isKnownMessage(v));
}

export function toReport(r: Row): Report {
  return {
    id: r.id as number,
    circleId: r.circle_id as number | null,
    reporterId: r.reporter_id as number | null,
    originHost: r.origin_host as string | null,
    postId: r.post_id as number | null,
    memberId: r.member_id as number | null,
    remoteActorId: r.remote_actor_id as number | null,
    reason: r.reason as Report['reason'],
    note: r.note as string,
    forward: r.forward as boolean,
    forwardNote: (r.forward_note as string | null | undefined) ?? null,
    status: r.status as Report['status'],
    outcome: r.outcome as Report['outcome'],
    outcomeNote: r.outcome_note as string,
    handledBy: r.handled_by as number | null,
    createdAt: r.created_at as Date,
    closedAt: r.closed_at as Date | null,
    conversationMessageId: (r.conversation_message_id as number | null | undefined) ?? null,
    messageTextShared: (r.message_text_shared as boolean | undefined) ?? false,
  };
}

export function toAction(r: Row): ModerationAction {
  return {
    id: r.id as number,
    circleId: r.circle_id as number | null,
    kind: r.kind as ModerationAction['kind'],
    status: r.status as ModerationAction['status'],
    postId: r.post_id as number | null,
    threadId: r.thread_id as number | null,
    memberId: r.member_id as number | null,
    remoteActorId: r.remote_actor_id as number | null,
    remoteHost: r.remote_host as string | null,
    reportId: r.report_id as number | null,
    agreement: r.agreement as string,
    reason: r.reason as string,
    detail: (r.detail ?? {}) as ModerationAction['detail'],
    withholdName: r.withhold_name as boolean,
    actedBy: r.acted_by as number | null,
    confirmedBy: r.confirmed_by as number | null,
    createdAt: r.created_at as Date,
    confirmBy: r.confirm_by as Date | null,
    effectiveAt: r.effective_at as Date | null,
    endsAt: r.ends_at as Date | null,
    settledAt: r.settled_at as Date | null,
  };
}

export function toLogEntry(r: Row): LogEntry {
  return {
    id: r.id as number,
    circleId: r.circle_id as number | null,
    at: r.at as Date,
    event: r.event as string,
    summary: r.summary as string,
    summaryText: storedMessage(r.summary_message) ?? (r.summary as string),
    agreement: r.agreement as string,
    reason: r.reason as string,
    moderators: (r.moderators ?? []) as string[],
    subject: r.subject as string | null,
    actionId: r.action_id as number | null,
    proposalId: r.proposal_id as number | null,
    appealId: r.appeal_id as number | null,
    ...(r.circle_slug !== undefined ? { circle: r.circle_slug === null ? null : { slug: r.circle_slug as string, name: r.circle_name as string } } : {}),
  };
}

export function toProposal(r: Row): Proposal {
  return {
    id: r.id as number,
    circleId: r.circle_id as number | null,
    kind: r.kind as Proposal['kind'],
    title: r.title as string,
    body: r.body as string,
    mode: r.mode as Proposal['mode'],
    payload: (r.payload ?? {}) as Proposal['payload'],
    status: r.status as Proposal['status'],
    quorum: r.quorum as number,
    eligible: r.eligible as number,
    quorumFallback: r.quorum_fallback as Proposal['quorumFallback'],
    extended: r.extended as boolean,
    createdBy: r.created_by as number | null,
    createdAt: r.created_at as Date,
    votingOpensAt: r.voting_opens_at as Date,
    deadline: r.deadline as Date,
    decidedAt: r.decided_at as Date | null,
    outcome: (r.outcome ?? null) as Proposal['outcome'],
  };
}
