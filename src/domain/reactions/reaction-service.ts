import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/reaction-repository.js';
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError, type Text } from '../errors.js';
import type { DomainEvents } from '../events.js';
import type { Member } from '../members/member.js';
import type { ThreadService } from '../threads/thread-service.js';
import { REACTIONS, type ReactionKind } from './reaction.js';
import { msg } from '../../i18n/message.js';

/**
 * Supportive reactions: one of each kind per member per post, shown as
 * counts. Giving one twice changes nothing; taking back one not given
 * changes nothing either.
 */
export class ReactionService {
  constructor(
    private readonly db: Database,
    private readonly threads: ThreadService,
    private readonly events: DomainEvents,
    /** Moderation's answer to whether this member may react here (not muted, removed or blocked by the author); a reason when not. */
    private readonly mayReact: (memberId: number, circleId: number, authorId: number | null) => Promise<Text | null> = async () => null,
  ) {}

  async set(actor: Member | undefined, postId: number, kindRaw: string, give: boolean): Promise<{ threadPath: string }> {
    if (!actor) throw new NotSignedInError(msg('circles.error.log_in_to_react'));
    if (actor.status !== 'active') throw new ForbiddenError(msg('circles.error.cannot_react'));
    const kind = REACTIONS.find((r) => r.kind === kindRaw)?.kind;
    if (!kind) throw new ValidationError({ kind: msg('circles.error.choose_reaction') });
    const { post, circle } = await this.threads.locate(postId, actor);
    if (post.state !== 'visible') throw new NotFoundError(msg('circles.error.post_not_shown'));
    // Taking a reaction back is always allowed; giving one passes moderation's rules.
    const refusal = give ? await this.mayReact(actor.id, circle.id, post.authorId) : null;
    if (refusal) throw new ForbiddenError(refusal);
    const event = { postId, threadId: post.threadId, circleId: circle.id, kind, memberId: actor.id };
    const name = give ? 'reaction.given' : 'reaction.taken_back';
    const changed = await this.db.transaction(async (tx) => {
      const done = give ? await repo.insertMemberReaction(tx, event) : await repo.deleteMemberReaction(tx, event);
      if (done) await this.events.record(tx, name, event);
      return done;
    });
    if (changed) {
      await this.events.emit(name, event);
    }
    return { threadPath: `/c/${circle.slug}/t/${post.threadId}` };
  }

  given(member: Member | undefined, postIds: number[]): Promise<Set<string>> {
    return member ? repo.reactionsGivenBy(this.db, member.id, postIds) : Promise.resolve(new Set());
  }
}

export type { ReactionKind };
