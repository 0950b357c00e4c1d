import type { Queryable } from '../../storage/database.js';
import { mailChoicesOf, mailSettingsOf } from '../../storage/repositories/mail-repository.js';

/** The member's mail settings for their export ("Take a copy of everything"); never a link's token. */
export async function mailExportFor(q: Queryable, memberId: number): Promise<unknown> {
  const [s, choices] = await Promise.all([mailSettingsOf(q, memberId), mailChoicesOf(q, memberId)]);
  return {
    verifiedAddress: s.verifiedAddress,
    verifiedAt: s.verifiedAt,
    includePrivateText: s.includePrivateText,
    stoppedAt: s.stoppedAt,
    stoppedError: s.stoppedError,
    choices: Object.fromEntries(choices),
  };
}
