/** Plain-words descriptions of actions for the public log. */
import type { ActionKind } from '../rules/action-rules.js';

const DONE: Record<ActionKind, string> = {
  message: 'Sent a private message from the moderators',
  add_content_warning: 'Added a content warning to a post',
  slow_thread: 'Slowed a thread down',
  lock_thread: 'Locked a thread',
  hide_post: 'Hid a post',
  restore_post: 'Restored a post',
  hold_member: 'Held a member’s new posts for review',
  mute_member: 'Muted a member in the circle',
  remove_member: 'Removed a member from the circle',
  suspend_account: 'Suspended an account',
  block_instance: 'Blocked another server',
};

const PROPOSED: Partial<Record<ActionKind, string>> = {
  remove_member: 'Proposed removing a member from the circle',
  suspend_account: 'Proposed suspending an account',
  block_instance: 'Proposed blocking another server',
};

export function describeAction(kind: ActionKind, o: { awaiting?: boolean; where?: string | null; host?: string | null; hours?: number | null }): string {
  let text = (o.awaiting ? PROPOSED[kind] : undefined) ?? DONE[kind];
  if (o.host) text += ` (${o.host})`;
  if (o.where) text += ` in “${o.where}”`;
  if (o.hours) text += ` for ${o.hours % 24 === 0 ? `${o.hours / 24} day${o.hours === 24 ? '' : 's'}` : `${o.hours} hour${o.hours === 1 ? '' : 's'}`}`;
  return `${text}.`;
}

export const ACTION_LABEL_PAST = DONE;
