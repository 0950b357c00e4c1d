/** Who is part of an action's case: nobody among them may confirm it or hear its appeal. */
import type { Queryable } from '../../src/storage/database.js';
import type { CaseParties } from '../rules/action-rules.js';
import { findReport, reporterIdsFor } from '../storage/reports-store.js';
import type { ModerationAction } from '../types.js';

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
