/**
 * Incoming activities accepted and refused, by reason, since this process
 * started: kept in memory, counted from the inbox's answers. Only reasons and
 * counts: never who sent what.
 */
export interface InboxTally {
  accepted(): void;
  refused(reason: string): void;
  snapshot(): { accepted: number; refused: Array<{ reason: string; count: number }> };
}

export function createInboxTally(): InboxTally {
  let accepted = 0;
  const refused = new Map<string, number>();
  return {
    accepted() {
      accepted++;
    },
    refused(reason) {
      refused.set(reason, (refused.get(reason) ?? 0) + 1);
    },
    snapshot() {
      return {
        accepted,
        refused: [...refused].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      };
    },
  };
}
