/** Who is part of an action's case: nobody among them may confirm it or hear its appeal. */
import type { Queryable } from '../../src/storage/database.js';
import { involvement, type CaseParties } from '../rules/action-rules.js';
import { findReport, reporterIdsFor } from '../storage/reports-store.js';
import type { ModerationAction } from '../types.js';
import { moderatorsOf } from './context.js';

/** The member an action affects: the one it is about, or the author of its post. */
export function affectedMember(action: ModerationAction): number | null {
  return action.memberId ?? action.detail.postAuthorId ?? null;
}

export async function partiesOf(q: Queryable, action: ModerationAction): Promise<CaseParties> {
  const affected = affectedMember(action);
  const reporterIds = await reporterIdsFor(q, { postId: action.postId, memberId: affected });
  if (action.reportId !== null) {
    const report = await findReport(q, action.reportId);
    if (report?.reporterId) reporterIds.push(report.reporterId);
  }
  return { reporterIds, subjectIds: affected !== null ? [affected] : [], actedBy: action.actedBy, confirmedBy: action.confirmedBy };
}

/**
 * The circle's moderators who could confirm an action: none of them part of
 * its case. In a small circle (one moderator, its founder) there are none, and
 * an uninvolved steward may confirm instead, so the two-person rule still holds.
 */
export async function uninvolvedModerators(q: Queryable, action: ModerationAction, at: Date): Promise<number[]> {
  const parties = await partiesOf(q, action);
  return (await moderatorsOf(q, action.circleId, at)).map((m) => m.memberId).filter((id) => involvement(id, parties) === null);
}
