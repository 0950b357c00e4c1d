import type { Queryable } from '../../storage/database.js';
import { insertNotifications, postWords, recipientFacts, type RecipientFacts } from '../../storage/repositories/notification-repository.js';
import type { Clock } from '../clock.js';
import type { MemberBlocks } from '../members/member-blocks.js';
import { mutedWordIn } from '../members/muted-words.js';
import { breakState } from '../wellbeing/break-rules.js';
import type { NewNotification, NotificationKind } from './notification.js';

/** Kinds about a post someone wrote: a member's muted words apply to them. */
const POST_KINDS: ReadonlySet<NotificationKind> = new Set(['reply', 'mention', 'thread.new', 'post.new']);

/**
 * The one way anything tells a member something (issue 10). Services call
 * `notify` inside the transaction of the change that caused it, so a
 * notification is never lost when the process stops right after the change.
 * The notifier decides whether and when it is shown; channels (the page,
 * e-mail) read the rows. Its rules, for every kind:
 * - nobody is told of what they did themselves;
 * - nothing from a member the recipient blocked, or who blocked them;
 * - a member's muted words apply to the post kinds (reply, mention, new thread, new post);
 * - a member may turn off reactions to their posts, or any kind;
 * - during a member's break (quiet hours or their daily limit) it is kept for
 *   later: `visible_from` is the break's end, and the count waits for it.
 * Watching levels (who is asked at all) are decided by the callers that fan
 * out to watchers (`PostNotifications`).
 */
export class Notifier {
  constructor(
    private readonly clock: Clock,
    private readonly blocks: MemberBlocks,
  ) {}

  /** Writes the notification unless the member's choices say otherwise; resolves to its id, or null when nothing was written. */
  async notify(tx: Queryable, n: NewNotification): Promise<number | null> {
    const ids = await this.notifyAll(tx, [n]);
    return ids[0] ?? null;
  }

  /** The same rules for many notifications at once (a post's watchers): a few queries, whatever their number. Returns the ids written. */
  async notifyAll(tx: Queryable, list: readonly NewNotification[]): Promise<number[]> {
    const candidates = list.filter((n) => !(n.actorMemberId !== undefined && n.actorMemberId !== null && n.actorMemberId === n.memberId));
    if (candidates.length === 0) return [];
    const now = this.clock.now();
    const facts = await recipientFacts(
      tx,
      candidates.map((n) => ({ memberId: n.memberId, actorMemberId: n.actorMemberId ?? null })),
      now,
    );
    const pairs = candidates.filter((n) => n.actorMemberId !== undefined && n.actorMemberId !== null).map((n) => ({ memberId: n.memberId, otherId: n.actorMemberId! }));
    const blocked = await this.blocks.blockedPairs(tx, pairs);
    const postIds = [...new Set(candidates.filter((n) => POST_KINDS.has(n.kind) && n.postId).map((n) => n.postId!))];
    const words = candidates.some((n) => (facts.get(key(n))?.mutedWords.length ?? 0) > 0) ? await postWords(tx, postIds) : new Map<number, string>();
    const rows: Array<NewNotification & { visibleFrom: Date }> = [];
    for (const n of candidates) {
      const f = facts.get(key(n));
      if (!f || blocked.has(key(n)) || !allowed(n, f, words)) continue;
      rows.push({ ...n, visibleFrom: visibleFrom(f, now) });
    }
    return insertNotifications(tx, rows, now);
  }
}

function key(n: NewNotification): string {
  return `${n.memberId}:${n.actorMemberId ?? ''}`;
}

function allowed(n: NewNotification, f: RecipientFacts, words: Map<number, string>): boolean {
  if (!f.active) return false;
  if (f.kindsOff.includes(n.kind)) return false;
  if (n.kind === 'reaction' && !f.reactions) return false;
  if (POST_KINDS.has(n.kind) && n.postId && f.mutedWords.length > 0 && mutedWordIn(words.get(n.postId) ?? '', f.mutedWords)) return false;
  return true;
}

/** Now, or when the member's break (quiet hours, daily limit) ends. */
function visibleFrom(f: RecipientFacts, now: Date): Date {
  if (!f.breaks) return now;
  const state = breakState({ ...f.breaks, lockedUntil: null }, now, f.breaks.minutesToday);
  return state.onBreak ? state.until : now;
}
