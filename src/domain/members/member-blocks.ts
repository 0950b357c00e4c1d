import type { Queryable } from '../../storage/database.js';

/**
 * Member blocks as the rest of Hearth asks about them (the notifier,
 * check-ins, search). Moderation owns them (`member_blocks`, its SQL in
 * `moderation/storage/safety-store.ts`); `moderation/index.ts` exports
 * `memberBlocks`, and `src/app.ts` hands it to the services that need it.
 * Each question runs on the caller's connection or transaction.
 */
export interface MemberBlocks {
  /** Whom the member blocked, and who blocked them. */
  relationsOf(q: Queryable, memberId: number): Promise<{ blocked: Set<number>; blockedBy: Set<number> }>;
  /** Whether either of the two blocked the other. */
  between(q: Queryable, a: number, b: number): Promise<boolean>;
  /** Of these pairs, the ones where either blocked the other, each as `memberId:otherId`. */
  blockedPairs(q: Queryable, pairs: ReadonlyArray<{ memberId: number; otherId: number }>): Promise<Set<string>>;
}

/** Everyone the member blocked or was blocked by. */
export async function blockedEitherWay(blocks: MemberBlocks, q: Queryable, memberId: number): Promise<number[]> {
  const { blocked, blockedBy } = await blocks.relationsOf(q, memberId);
  return [...new Set([...blocked, ...blockedBy])];
}
