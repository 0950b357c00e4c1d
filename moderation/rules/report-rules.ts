/**
 * The report state machine. A report is open until a moderator closes it
 * (acted, no action, or made to hurt someone). Asking a peer to check in on
 * someone is not a report (src/domain/check-ins).
 * Reports never hide anything by themselves, however many there are.
 */
import type { ReportReason } from '../policies/defaults.js';
import { msg, type MessageRef } from '../../src/i18n/message.js';

export type ReportStatus = 'open' | 'closed';
export type ReportOutcome = 'acted' | 'no_action' | 'malicious';

export type ReportEvent = { type: 'close'; outcome: ReportOutcome };

export function reportTransition(
  report: { reason: ReportReason; status: ReportStatus },
  _event: ReportEvent,
): ReportStatus | MessageRef {
  if (report.status === 'closed') return msg('moderation.error.report_closed');
  return 'closed';
}

/** What the reporter sees about their report (never who handled it). */
export function reportStatusText(status: ReportStatus, outcome: ReportOutcome | null): string {
  if (status === 'open') return 'Waiting for a peer to look at it';
  switch (outcome) {
    case 'acted':
      return 'Moderators acted on it';
    case 'malicious':
    case 'no_action':
    default:
      return 'Looked at; no action was needed';
  }
}
