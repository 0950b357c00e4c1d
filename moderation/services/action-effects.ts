/**
 * What each kind of action does to the world (a post's state, a thread's lock
 * or pace, a member's restrictions, an account, a blocked server), and how it
 * is undone when the action lapses, ends or is overturned.
 */
import type { PostEvent } from '../../src/domain/events.js';
import type { Transaction } from '../../src/storage/database.js';
import { findPost } from '../../src/storage/repositories/post-repository.js';
import { SOLO_MUTE_HOURS } from '../policies/defaults.js';
import type { Effect } from '../rules/action-rules.js';
import * as actions from '../storage/actions-store.js';
import { insertModeratorMessage } from '../storage/safety-store.js';
import type { ModerationAction } from '../types.js';
import { hoursFrom, type ModerationContext } from './context.js';

/** Events to emit once the transaction that caused them has committed. */
export type PendingEvents = Array<() => Promise<void>>;

/** Does (or undoes) what an action means for the world, inside the action's transaction; events wait in `pending` until it commits. */
export async function applyEffect(
  c: Pick<ModerationContext, 'clock' | 'events'>,
  tx: Transaction,
  action: ModerationAction,
  effect: Effect,
  pending: PendingEvents,
): Promise<ModerationAction> {
  if (effect === 'none') return action;
  const postEvent = async (name: 'moderation.post_hidden' | 'moderation.post_restored') => {
    if (action.postId === null) return;
    const post = await findPost(tx, action.postId);
    if (!post) return;
    const e: PostEvent = { threadId: post.threadId, postId: post.id, circleId: action.circleId, authorId: post.authorId, ...(post.remoteAuthor ? { remote: true } : {}) };
    await c.events.record(tx, name, e);
    pending.push(() => c.events.emit(name, e));
  };
  const restrictionKind = { hold_member: 'hold', mute_member: 'mute', remove_member: 'remove' } as const;
  switch (action.kind) {
    case 'message':
      if (effect === 'apply' && action.memberId !== null) {
        await insertModeratorMessage(tx, { actionId: action.id, toMemberId: action.memberId, circleId: action.circleId, postId: action.postId, agreement: action.agreement, body: action.detail.message ?? '', at: c.clock.now() });
      }
      return action;
    case 'add_content_warning':
      if (action.postId === null) return action;
      if (effect === 'apply') await actions.setPostContentWarning(tx, action.postId, action.detail.contentWarning ?? null);
      if (effect === 'undo') await actions.setPostContentWarning(tx, action.postId, action.detail.previousContentWarning ?? null);
      return action;
    case 'slow_thread':
      if (action.threadId === null) return action;
      if (effect === 'apply') await actions.setThreadSlow(tx, action.threadId, action.detail.slowSeconds ?? 600);
      if (effect === 'undo') await actions.setThreadSlow(tx, action.threadId, 0);
      return action;
    case 'lock_thread':
      if (action.threadId === null) return action;
      if (effect === 'apply') await actions.setThreadLocked(tx, action.threadId, c.clock.now());
      if (effect === 'undo') await actions.setThreadLocked(tx, action.threadId, null);
      return action;
    case 'hide_post':
      if (action.postId === null) return action;
      if (effect === 'apply' && (await actions.setPostState(tx, action.postId, 'hidden', ['visible', 'held']))) await postEvent('moderation.post_hidden');
      if (effect === 'undo') {
        const back = action.detail.previousState === 'held' ? 'held' : 'visible';
        if (await actions.setPostState(tx, action.postId, back, ['hidden'])) if (back === 'visible') await postEvent('moderation.post_restored');
      }
      return action;
    case 'restore_post':
      if (action.postId === null || effect !== 'apply') return action;
      if (await actions.setPostState(tx, action.postId, 'visible', ['hidden', 'held', 'removed'])) await postEvent('moderation.post_restored');
      // Whatever hid it is over now.
      await actions.endHidingActions(tx, action.postId, c.clock.now());
      return action;
    case 'hold_member':
    case 'mute_member':
    case 'remove_member': {
      if (effect === 'undo') {
        await actions.removeRestriction(tx, action.id);
        if (action.kind === 'remove_member' && action.remoteActorId !== null && action.circleId !== null) {
          const e = { circleId: action.circleId, remoteActorId: action.remoteActorId, blocked: false };
          await c.events.record(tx, 'moderation.remote_blocked', e);
          pending.push(() => c.events.emit('moderation.remote_blocked', e));
        }
        return action;
      }
      let endsAt = action.endsAt;
      // One moderator alone mutes for at most SOLO_MUTE_HOURS; confirmation extends it.
      if (action.kind === 'mute_member' && action.status === 'pending' && endsAt) {
        endsAt = new Date(Math.min(endsAt.getTime(), hoursFrom(action.createdAt, SOLO_MUTE_HOURS).getTime()));
      }
      if (effect === 'extend') {
        await actions.extendRestriction(tx, action.id, action.endsAt);
        return action;
      }
      await actions.addRestriction(tx, { actionId: action.id, circleId: action.circleId, memberId: action.memberId, remoteActorId: action.remoteActorId, kind: restrictionKind[action.kind], endsAt });
      if (action.kind === 'remove_member' && action.remoteActorId !== null && action.circleId !== null) {
        const e = { circleId: action.circleId, remoteActorId: action.remoteActorId, blocked: true };
        await c.events.record(tx, 'moderation.remote_blocked', e);
        pending.push(() => c.events.emit('moderation.remote_blocked', e));
      }
      return action;
    }
    case 'suspend_account':
      if (action.memberId === null || effect === 'extend') return action;
      await actions.setMemberSuspended(tx, action.memberId, effect === 'apply');
      return action;
    case 'block_instance':
      if (action.remoteHost === null || effect === 'extend') return action;
      if (effect === 'apply') await actions.blockInstance(tx, action.remoteHost, action.id, c.clock.now());
      else await actions.unblockInstance(tx, action.remoteHost, action.id);
      return action;
  }
}
