import { msg, type MessageRef } from '../../i18n/message.js';

/**
 * How closely a member follows a circle or a thread (Discourse's levels, in
 * plain words). A thread's own level wins over its circle's; with neither,
 * the member is at the default.
 */
export const WATCH_LEVELS = ['every', 'replies', 'nothing'] as const;
export type WatchLevel = (typeof WATCH_LEVELS)[number];
export const DEFAULT_WATCH_LEVEL: WatchLevel = 'replies';

export const WATCH_LABELS: Record<WatchLevel, MessageRef> = {
  every: msg('staying.watch.every'),
  replies: msg('staying.watch.replies'),
  nothing: msg('staying.watch.nothing'),
};

export function isWatchLevel(value: string | undefined): value is WatchLevel {
  return (WATCH_LEVELS as readonly string[]).includes(value ?? '');
}
