/**
 * The report state machine. A report is open until a moderator closes it
 * (acted, no action, or malicious); "I'm worried about someone" goes to
 * check-in volunteers instead, who take it and close it once they checked in.
 * Reports never hide anything by themselves, however many there are.
 */
import type { ReportReason } from '../policies/defaults.js';

export type ReportStatus = 'open' | 'checking_in' | 'closed';
export type ReportOutcome = 'acted' | 'no_action' | 'malicious' | 'checked_in';

export type ReportEvent =
  | { type: 'take_check_in' }
  | { type: 'close'; outcome: ReportOutcome };

export function reportTransition(
  report: { reason: ReportReason; status: ReportStatus },
  event: ReportEvent,
): ReportStatus | string {
  if (report.status === 'closed') return 'This report has already been closed.';
  if (event.type === 'take_check_in') {
    if (report.reason !== 'worried') return 'Only worried-about-someone reports go to check-in volunteers.';
    if (report.status === 'checking_in') return 'Someone is already checking in.';
    return 'checking_in';
  }
  if (report.reason === 'worried' && event.outcome !== 'checked_in' && event.outcome !== 'no_action') {
    return 'A worried-about-someone report closes with a check-in, or with nothing to do.';
  }
  if (report.reason !== 'worried' && event.outcome === 'checked_in') return 'Choose what the moderators did.';
  return 'closed';
}

/** What the reporter sees about their report (never who handled it). */
export function reportStatusText(status: ReportStatus, outcome: ReportOutcome | null): string {
  if (status === 'open') return 'Waiting for a peer to look at it';
  if (status === 'checking_in') return 'A peer is checking in';
  switch (outcome) {
    case 'acted':
      return 'Moderators acted on it';
    case 'checked_in':
      return 'A peer checked in';
    case 'malicious':
    case 'no_action':
    default:
      return 'Looked at; no action was needed';
  }
}
