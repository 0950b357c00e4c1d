/** What moderation holds about one member, for their export (the right to leave). */
import type { Queryable } from '../../src/storage/database.js';
import { reasonLabel } from '../policies/defaults.js';
import { reportStatusText } from '../rules/report-rules.js';
import { listReportsBy } from '../storage/reports-store.js';
import { votesBy } from '../storage/proposals-store.js';
import { listBlocked, listModeratorMessages } from '../storage/safety-store.js';
import { volunteerRoles } from '../storage/roles-store.js';

export interface ModerationExportSection {
  name: string;
  title: string;
  collect(memberId: number): Promise<unknown>;
}

export function moderationExportSections(db: Queryable): ModerationExportSection[] {
  return [
    {
      name: 'reports',
      title: 'Reports you made',
      collect: async (memberId) =>
        (await listReportsBy(db, memberId, 10_000)).map((r) => ({
          reason: reasonLabel(r.reason),
          note: r.note,
          status: reportStatusText(r.status, r.outcome),
          madeAt: r.createdAt,
          postId: r.postId,
        })),
    },
    {
      name: 'votes',
      title: 'Your votes',
      collect: async (memberId) => votesBy(db, memberId),
    },
    {
      name: 'moderatorMessages',
      title: 'Messages moderators sent you',
      collect: async (memberId) =>
        (await listModeratorMessages(db, memberId, 10_000)).map((m) => ({ circle: m.circleName, agreement: m.agreement, message: m.body, sentAt: m.createdAt })),
    },
    {
      name: 'blocks',
      title: 'Members you blocked',
      collect: async (memberId) => (await listBlocked(db, memberId)).map((b) => b.handle),
    },
    {
      name: 'volunteering',
      title: 'What you offered to help with',
      collect: async (memberId) => [...(await volunteerRoles(db, memberId))],
    },
  ];
}
