/**
 * What a member can be told (issue 10). Every kind is listed here once; the
 * notifications page, preferences and e-mail switch on these names.
 */
export const NOTIFICATION_KINDS = [
  'reply', // someone replied in my thread or to my post
  'mention', // someone @mentioned me
  'reaction', // reactions to my post (grouped on the page)
  'thread.new', // a new thread in a circle I watch (here or followed elsewhere)
  'post.new', // a new post in a thread or circle I watch on "every post"
  'checkin.received', // a peer asked to check in with me / a check-in was sent to me
  'checkin.replied', // a reply to a check-in I sent
  'nomination', // I was nominated
  'election.opened', // an election opened in a circle I belong to
  'vote.opened', // a proposal's vote opened in a circle I belong to
  'vote.outcome', // the outcome of an election or proposal there
  'appeal.panel', // I was asked to sit on an appeal panel
  'appeal.decided', // the decision on my appeal
  'moderation.about_me', // a moderation action about me (links the log entry and how to appeal)
  'join.answered', // my request to join was answered
  'meeting.reminder', // a meeting I said I'd come to is soon
  'conversation.request', // someone I haven't talked with wants to start a conversation
  'conversation.message', // a new message in a conversation I'm part of
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** A notification to write. `link` is a path on this instance. */
export interface NewNotification {
  memberId: number;
  kind: NotificationKind;
  /** Who caused it, when someone did. */
  actorMemberId?: number | null;
  actorRemoteId?: number | null;
  circleId?: number | null;
  threadId?: number | null;
  postId?: number | null;
  link: string;
  /** Small details for the wording (never a post's text). */
  details?: Record<string, string | number | boolean>;
}

/** One item of a member's notifications page. */
export interface NotificationRow {
  id: number;
  kind: NotificationKind;
  link: string;
  details: Record<string, string | number | boolean>;
  createdAt: Date;
  visibleFrom: Date;
  readAt: Date | null;
  postId: number | null;
  threadId: number | null;
  threadTitle: string | null;
  circleName: string | null;
  actor: { handle: string; displayName: string } | null;
  /** Reactions grouped on the page: how many people (and whether all of the group is read). */
  count: number;
  /** Every id in the group (reactions to one post of one kind). */
  ids: number[];
}
