/**
 * The moderation action state machine, free of storage: which kinds of action
 * exist, how serious each is, and which transitions are allowed.
 *
 * - light actions (a message from the moderators, adding a content warning, slowing a thread,
 *   restoring a post) stand as soon as one moderator takes them;
 * - safety actions (hide a post, hold or mute a member, lock a thread) take
 *   effect at once, and stand only if a second moderator confirms them in time,
 *   otherwise they lapse and are undone;
 * - serious actions (remove from a circle, suspend an account, block an
 *   instance) take effect only when a second moderator agrees, or a member
 *   vote passes.
 * Time-limited actions end by themselves.
 */
import { msg, type MessageRef } from '../../src/i18n/message.js';

export type ActionKind =
  | 'message'
  | 'add_content_warning'
  | 'slow_thread'
  | 'lock_thread'
  | 'hide_post'
  | 'restore_post'
  | 'hold_member'
  | 'mute_member'
  | 'remove_member'
  | 'suspend_account'
  | 'block_instance';

export type ActionTier = 'light' | 'safety' | 'serious';
export type ActionTarget = 'post' | 'thread' | 'member' | 'host';

export type ActionStatus =
  /** A serious action waiting for a second moderator (no effect yet). */
  | 'awaiting'
  /** A safety action in effect, waiting for a second moderator. */
  | 'pending'
  | 'standing'
  | 'lapsed'
  /** A serious action nobody agreed to in time, or a vote turned down. */
  | 'declined'
  | 'ended'
  | 'overturned'
  | 'put_to_vote';

export interface ActionKindInfo {
  kind: ActionKind;
  tier: ActionTier;
  target: ActionTarget;
  /** Instance-level actions are taken by stewards, not a circle's moderators. */
  scope: 'circle' | 'instance';
  label: string;
  /** Duration in hours: the default, and the most allowed; null = no duration. */
  hours: { default: number; max: number } | null;
}

const DAY = 24;

export const ACTION_KINDS: Record<ActionKind, ActionKindInfo> = {
  message: { kind: 'message', tier: 'light', target: 'member', scope: 'circle', label: 'Send them a private message from this circle’s moderators', hours: null },
  add_content_warning: { kind: 'add_content_warning', tier: 'light', target: 'post', scope: 'circle', label: 'Add a content warning', hours: null },
  slow_thread: { kind: 'slow_thread', tier: 'light', target: 'thread', scope: 'circle', label: 'Slow the thread down', hours: { default: DAY, max: 14 * DAY } },
  restore_post: { kind: 'restore_post', tier: 'light', target: 'post', scope: 'circle', label: 'Restore the post', hours: null },
  hide_post: { kind: 'hide_post', tier: 'safety', target: 'post', scope: 'circle', label: 'Hide the post', hours: null },
  lock_thread: { kind: 'lock_thread', tier: 'safety', target: 'thread', scope: 'circle', label: 'Lock the thread', hours: { default: 7 * DAY, max: 90 * DAY } },
  hold_member: { kind: 'hold_member', tier: 'safety', target: 'member', scope: 'circle', label: 'Hold their new posts for review', hours: { default: 3 * DAY, max: 30 * DAY } },
  mute_member: { kind: 'mute_member', tier: 'safety', target: 'member', scope: 'circle', label: 'Pause their posting here', hours: { default: DAY, max: 30 * DAY } },
  remove_member: { kind: 'remove_member', tier: 'serious', target: 'member', scope: 'circle', label: 'Remove them from this circle', hours: { default: 90 * DAY, max: 365 * DAY } },
  suspend_account: { kind: 'suspend_account', tier: 'serious', target: 'member', scope: 'instance', label: 'Suspend the account', hours: { default: 30 * DAY, max: 365 * DAY } },
  block_instance: { kind: 'block_instance', tier: 'serious', target: 'host', scope: 'instance', label: 'Block the other server', hours: { default: 180 * DAY, max: 730 * DAY } },
};

export const ACTION_KIND_NAMES = Object.keys(ACTION_KINDS) as ActionKind[];

export function isActionKind(value: string): value is ActionKind {
  return Object.prototype.hasOwnProperty.call(ACTION_KINDS, value);
}

/** What a transition asks storage to do to the world. */
export type Effect = 'apply' | 'undo' | 'extend' | 'none';

export type ActionEvent =
  | { type: 'confirm' }
  | { type: 'confirm_window_passed' }
  | { type: 'time_up' }
  | { type: 'overturn' }
  | { type: 'put_to_vote' }
  /** `alreadyInEffect`: a stewards' emergency act, applied before the vote. */
  | { type: 'vote_passed'; alreadyInEffect?: boolean }
  | { type: 'vote_failed'; alreadyInEffect?: boolean };

/** A transition that makes no sense; `text` says why, in no language yet (`message` is its key, for logs). */
export class TransitionRefused extends Error {
  constructor(readonly text: MessageRef) {
    super(text.key);
    this.name = 'TransitionRefused';
  }
}

/** The status a new action starts in, and whether it takes effect now. */
export function start(kind: ActionKind): { status: ActionStatus; effect: Effect } {
  switch (ACTION_KINDS[kind].tier) {
    case 'light':
      return { status: 'standing', effect: 'apply' };
    case 'safety':
      return { status: 'pending', effect: 'apply' };
    case 'serious':
      return { status: 'awaiting', effect: 'none' };
  }
}

/**
 * A stewards' emergency act at instance level (suspend an account, block a
 * server): in effect at once, and put to all members, whose vote keeps or
 * undoes it.
 */
export function startEmergency(kind: ActionKind): { status: ActionStatus; effect: Effect } {
  const info = ACTION_KINDS[kind];
  if (info.scope !== 'instance' || info.tier !== 'serious') {
    throw new TransitionRefused(msg('moderation.error.emergency_kinds'));
  }
  return { status: 'put_to_vote', effect: 'apply' };
}

/** Whether the action is still doing something (or may still come to). */
export function isLive(status: ActionStatus): boolean {
  return status === 'awaiting' || status === 'pending' || status === 'standing' || status === 'put_to_vote';
}

/** Applies one event to an action's status; refuses transitions that make no sense. */
export function transition(status: ActionStatus, event: ActionEvent): { status: ActionStatus; effect: Effect } {
  switch (event.type) {
    case 'confirm':
      if (status === 'pending') return { status: 'standing', effect: 'extend' };
      if (status === 'awaiting') return { status: 'standing', effect: 'apply' };
      throw new TransitionRefused(
        status === 'standing' ? msg('moderation.error.already_confirmed') : msg('moderation.error.no_longer_confirmable'),
      );
    case 'confirm_window_passed':
      if (status === 'pending') return { status: 'lapsed', effect: 'undo' };
      if (status === 'awaiting') return { status: 'lapsed', effect: 'none' };
      throw new TransitionRefused(msg('moderation.error.only_waiting_lapse'));
    case 'time_up':
      if (status === 'standing' || status === 'pending') return { status: 'ended', effect: 'undo' };
      throw new TransitionRefused(msg('moderation.error.only_in_effect_end'));
    case 'overturn':
      if (status === 'standing' || status === 'pending') return { status: 'overturned', effect: 'undo' };
      throw new TransitionRefused(msg('moderation.error.only_in_effect_overturn'));
    case 'put_to_vote':
      if (status === 'awaiting') return { status: 'put_to_vote', effect: 'none' };
      throw new TransitionRefused(msg('moderation.error.only_serious_to_vote'));
    case 'vote_passed':
      if (status === 'put_to_vote') return { status: 'standing', effect: event.alreadyInEffect ? 'none' : 'apply' };
      throw new TransitionRefused(msg('moderation.error.not_waiting_for_vote'));
    case 'vote_failed':
      if (status === 'put_to_vote') return event.alreadyInEffect ? { status: 'overturned', effect: 'undo' } : { status: 'declined', effect: 'none' };
      throw new TransitionRefused(msg('moderation.error.not_waiting_for_vote'));
  }
}

/** Who is part of a case: nobody among them may act on it, confirm it or decide its appeal. */
export interface CaseParties {
  reporterIds: readonly number[];
  /** The member the case is about, or the author of the post. */
  subjectIds: readonly number[];
  /** The moderator who took the action (for confirmations and appeals). */
  actedBy?: number | null;
  confirmedBy?: number | null;
}

export function involvement(memberId: number, parties: CaseParties): MessageRef | null {
  if (parties.subjectIds.includes(memberId)) return msg('moderation.error.case_about_you');
  if (parties.reporterIds.includes(memberId)) return msg('moderation.error.you_reported');
  if (parties.actedBy === memberId) return msg('moderation.error.you_acted');
  if (parties.confirmedBy === memberId) return msg('moderation.error.you_confirmed');
  return null;
}

/**
 * How long an action lasts. Mutes: one moderator alone may mute for at most
 * SOLO_MUTE_HOURS; a longer mute takes full effect once confirmed.
 */
export function durationHours(kind: ActionKind, requested: number | undefined): number | null {
  const info = ACTION_KINDS[kind].hours;
  if (!info) return null;
  const hours = requested ?? info.default;
  if (!Number.isInteger(hours) || hours < 1 || hours > info.max) {
    throw new TransitionRefused(msg('moderation.error.length', { days: Math.round(info.max / 24) }));
  }
  return hours;
}
