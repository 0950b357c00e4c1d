/**
 * What keeps a circle safe day to day: belonging to circles, the rules a
 * post passes before it appears (locks, slow threads, mutes, holds, first
 * posts, content warnings, keyword filters), member blocks, moderators'
 * messages and sitting on appeal panels. (Peers' check-ins are not
 * moderation: src/domain/check-ins.)
 */
import { msg, type MessageRef } from '../../src/i18n/message.js';
import { circlePlace } from './notices.js';
import { RateLimitedError, ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import type { PostingCheck, PostingPolicy } from '../../src/domain/threads/posting-policy.js';
import type { Queryable } from '../../src/storage/database.js';
import { findMemberByHandle } from '../../src/storage/repositories/member-repository.js';
import { findCircleById } from '../../src/storage/repositories/circle-repository.js';
import { restrictionsFor } from '../storage/actions-store.js';
import { findPolicy } from '../storage/agreements-store.js';
import { appendLog } from '../storage/log-store.js';
import * as roles from '../storage/roles-store.js';
import * as safety from '../storage/safety-store.js';
import type { ModeratorMessage } from '../types.js';
import { assertModerates, requireActive, type ModerationContext } from './context.js';

export class SafetyService implements PostingPolicy {
  constructor(private readonly c: ModerationContext) {}

  /** The rules a member's post passes in a circle; throws when it can't be posted, says whether it waits for review. */
  async check(p: PostingCheck): Promise<{ held: boolean; why?: string }> {
    const restrictions = await restrictionsFor(this.c.db, { memberId: p.memberId }, p.circleId, p.at);
    const removed = restrictions.find((r) => r.kind === 'remove');
    // Until when is a date the reader's language words (a message value), not text made here.
    if (removed) throw new ForbiddenError(removed.endsAt ? msg('moderation.error.removed_until', { until: removed.endsAt }) : msg('moderation.error.removed'));
    const muted = restrictions.find((r) => r.kind === 'mute');
    if (muted) throw new ForbiddenError(muted.endsAt ? msg('moderation.error.muted_until', { until: muted.endsAt }) : msg('moderation.error.muted'));
    if (p.threadId !== null) {
      const state = await safety.threadModerationState(this.c.db, p.threadId);
      if (state?.lockedAt) throw new ForbiddenError(msg('moderation.error.thread_locked'));
      if (state && state.slowSeconds > 0) {
        const last = await safety.lastPostAt(this.c.db, p.memberId, p.threadId);
        if (last && p.at.getTime() - last.getTime() < state.slowSeconds * 1000) {
          const wait = Math.ceil((state.slowSeconds * 1000 - (p.at.getTime() - last.getTime())) / 60_000);
          throw new RateLimitedError(msg('moderation.error.thread_slowed', { minutes: wait }));
        }
      }
    }
    if (p.threadId !== null) {
      const starter = await safety.threadStarterId(this.c.db, p.threadId);
      if (starter && (await safety.blockRelations(this.c.db, p.memberId)).blockedBy.has(starter)) {
        throw new ForbiddenError(msg('moderation.error.cannot_reply'));
      }
    }
    const policy = await findPolicy(this.c.db, p.circleId);
    if (policy.contentWarningRequired && !p.contentWarning) {
      throw new ValidationError({ contentWarning: msg('moderation.error.content_warning_required') });
    }
    if (restrictions.some((r) => r.kind === 'hold')) return { held: true, why: 'Your new posts in this circle wait for a moderator for a while.' };
    if (policy.firstPostsHeld && (await safety.countPostsIn(this.c.db, p.memberId, p.circleId)) === 0) {
      return { held: true, why: 'This circle’s moderators look at each member’s first post before it appears.' };
    }
    const text = `${p.contentWarning ?? ''}\n${p.source}`.toLowerCase();
    const word = policy.keywordFilters.find((k) => k && text.includes(k.toLowerCase()));
    if (word) {
      return {
        held: true,
        why: `It contains “${word}”, one of the words this circle’s moderators look at before a post appears (they are listed on the circle’s moderation page). Nothing is wrong with writing it; a moderator will let it through or talk with you.`,
      };
    }
    return { held: false };
  }

  /** Why a member may not react in a circle (muted, removed, or blocked by the author), or null. */
  async reactionRefusal(memberId: number, circleId: number, authorId: number | null): Promise<MessageRef | null> {
    const restrictions = await restrictionsFor(this.c.db, { memberId }, circleId, this.c.clock.now());
    if (restrictions.some((r) => r.kind === 'remove')) return msg('moderation.error.removed_no_reacting');
    if (restrictions.some((r) => r.kind === 'mute')) return msg('moderation.error.muted_no_reacting');
    if (authorId !== null && (await safety.blockRelations(this.c.db, memberId)).blockedBy.has(authorId)) return msg('moderation.error.cannot_react');
    return null;
  }

  /** Whether a remote account may post in a circle (not removed from it). */
  async remoteMayPost(q: Queryable, remoteActorId: number, circleId: number): Promise<boolean> {
    const r = await restrictionsFor(q, { remoteActorId }, circleId, this.c.clock.now());
    return !r.some((x) => x.kind === 'remove' || x.kind === 'mute');
  }

  /** Whether a thread is locked or slowed (for its page). */
  async threadState(threadId: number): Promise<{ locked: boolean; slowMinutes: number }> {
    const s = await safety.threadModerationState(this.c.db, threadId);
    return { locked: !!s?.lockedAt, slowMinutes: s ? Math.round(s.slowSeconds / 60) : 0 };
  }

  /** `threadState` and `relations` together, in one statement: what a thread's page needs. */
  async threadReading(threadId: number, viewer: Member | undefined): Promise<{ threadState: { locked: boolean; slowMinutes: number }; relations: { blocked: Set<number>; blockedBy: Set<number> } }> {
    const s = await safety.threadReadingState(this.c.db, threadId, viewer?.id ?? null);
    return {
      threadState: { locked: !!s?.lockedAt, slowMinutes: s ? Math.round(s.slowSeconds / 60) : 0 },
      relations: viewer && s ? { blocked: new Set(s.blocked), blockedBy: new Set(s.blockedBy) } : { blocked: new Set(), blockedBy: new Set() },
    };
  }

  async joined(member: Member, circleId: number): Promise<void> {
    await roles.joinCircle(this.c.db, circleId, member.id, this.c.clock.now());
  }

  /**
   * Joining: a public circle at once; a members-only circle is a request its
   * moderators approve or decline (`'requested'`).
   */
  async join(actor: Member | undefined, circleId: number): Promise<'joined' | 'requested'> {
    const member = requireActive(actor);
    const circle = await findCircleById(this.c.db, circleId);
    if (!circle) throw new NotFoundError(msg('moderation.error.circle_gone'));
    if (circle.visibility === 'public' || (await roles.isCircleMember(this.c.db, circleId, member.id))) {
      await roles.joinCircle(this.c.db, circleId, member.id, this.c.clock.now());
      return 'joined';
    }
    await roles.addJoinRequest(this.c.db, circleId, member.id, this.c.clock.now());
    return 'requested';
  }

  /** Whether this member asked to join the circle and waits for its moderators. */
  hasAskedToJoin(memberId: number, circleId: number): Promise<boolean> {
    return roles.hasJoinRequest(this.c.db, circleId, memberId);
  }

  /** Requests to join a members-only circle, for its moderators. */
  async joinRequests(actor: Member | undefined, circleId: number): Promise<roles.JoinRequest[]> {
    const member = requireActive(actor);
    await assertModerates(this.c.db, member, circleId, this.c.clock.now());
    return roles.listJoinRequests(this.c.db, circleId);
  }

  /**
   * A moderator approves (the member can read and post) or declines a request
   * to join. The public log says what was decided and by whom, never who asked.
   */
  async decideJoinRequest(actor: Member | undefined, circleId: number, requestId: number, approve: boolean): Promise<void> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    await this.c.db.transaction(async (tx) => {
      await assertModerates(tx, member, circleId, at);
      const taken = await roles.takeJoinRequest(tx, circleId, requestId);
      if (!taken) throw new NotFoundError(msg('moderation.error.join_request_decided'));
      if (approve) await roles.joinCircle(tx, circleId, taken.memberId, at);
      await appendLog(tx, {
        circleId,
        at,
        event: approve ? 'join_approved' : 'join_declined',
        summary: msg(approve ? 'moderation.log.join_approved' : 'moderation.log.join_declined'),
        moderators: [member.handle],
      });
      const place = await circlePlace(tx, circleId);
      await this.c.notifier.notify(tx, {
        memberId: taken.memberId,
        kind: 'join.answered',
        circleId,
        link: `/c/${place.slug}`,
        details: { answer: approve ? 'approved' : 'declined', ...(place.name ? { circle: place.name } : {}) },
      });
    });
  }

  async leave(actor: Member | undefined, circleId: number): Promise<void> {
    await roles.leaveCircle(this.c.db, circleId, requireActive(actor).id);
  }

  isCircleMember(memberId: number, circleId: number): Promise<boolean> {
    return roles.isCircleMember(this.c.db, circleId, memberId);
  }

  async circleMemberCount(circleId: number): Promise<number> {
    return (await roles.circleMemberIds(this.c.db, circleId)).length;
  }

  async block(actor: Member | undefined, handle: string | undefined): Promise<void> {
    const member = requireActive(actor);
    const clean = (handle ?? '').trim().replace(/^@/, '').toLowerCase();
    const other = clean ? await findMemberByHandle(this.c.db, clean) : undefined;
    if (!other) throw new ValidationError({ handle: msg('moderation.error.no_such_member') });
    if (other.id === member.id) throw new ValidationError({ handle: msg('moderation.error.block_yourself') });
    await safety.blockMember(this.c.db, member.id, other.id, this.c.clock.now());
  }

  async unblock(actor: Member | undefined, handle: string | undefined): Promise<void> {
    const member = requireActive(actor);
    const other = await findMemberByHandle(this.c.db, (handle ?? '').trim().toLowerCase());
    if (other) await safety.unblockMember(this.c.db, member.id, other.id);
  }

  blocked(actor: Member | undefined): ReturnType<typeof safety.listBlocked> {
    return safety.listBlocked(this.c.db, requireActive(actor).id);
  }

  /** Whom a member blocked and who blocked them, by id (conversations end both ways). */
  relationsOf(memberId: number): Promise<{ blocked: Set<number>; blockedBy: Set<number> }> {
    return safety.blockRelations(this.c.db, memberId);
  }

  async relations(viewer: Member | undefined): Promise<{ blocked: Set<number>; blockedBy: Set<number> }> {
    if (!viewer) return { blocked: new Set(), blockedBy: new Set() };
    return safety.blockRelations(this.c.db, viewer.id);
  }

  /** Private messages this circle's moderators sent the member about their posts (moderation, not check-ins). */
  async moderatorMessages(actor: Member | undefined): Promise<ModeratorMessage[]> {
    const member = requireActive(actor);
    const list = await safety.listModeratorMessages(this.c.db, member.id, 100);
    await safety.markModeratorMessagesRead(this.c.db, member.id, this.c.clock.now());
    return list;
  }

  /** Sitting on appeal panels (offering to check in on peers is on the check-ins page). */
  async volunteering(actor: Member | undefined): Promise<{ appealPanel: boolean }> {
    const roles_ = await roles.volunteerRoles(this.c.db, requireActive(actor).id);
    return { appealPanel: roles_.has('appeal_panel') };
  }

  async setVolunteering(actor: Member | undefined, v: { appealPanel: boolean }): Promise<void> {
    const member = requireActive(actor);
    await roles.setVolunteer(this.c.db, member.id, 'appeal_panel', v.appealPanel);
  }
}
