import type { NotificationKind } from '../notifications/notification.js';

/** One message to one address: plain text and a simple HTML part. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
}

/** Where mail goes out (the SMTP adapter in `src/mail/`); the domain does no networking. */
export interface MailTransport {
  /** Resolves once the server accepted the message; rejects with the server's answer otherwise. */
  send(mail: OutgoingMail): Promise<void>;
}

/** How often a kind of notification reaches a member by mail. */
export const MAIL_CADENCES = ['none', 'now', 'daily', 'weekly'] as const;
export type MailCadence = (typeof MAIL_CADENCES)[number];
export type SendingCadence = Exclude<MailCadence, 'none'>;

export function isMailCadence(value: string): value is MailCadence {
  return (MAIL_CADENCES as readonly string[]).includes(value);
}

/** The kinds, grouped as the settings page shows them. Every kind is in exactly one group. */
export const MAIL_KIND_GROUPS: ReadonlyArray<{ title: string; kinds: ReadonlyArray<{ kind: NotificationKind; label: string }> }> = [
  {
    title: 'People talking with you',
    kinds: [
      { kind: 'reply', label: 'Replies to your threads and posts' },
      { kind: 'mention', label: 'Someone mentions you' },
      { kind: 'conversation.request', label: 'Someone would like to start a conversation' },
      { kind: 'conversation.message', label: 'New messages in your conversations' },
    ],
  },
  {
    title: 'Check-ins',
    kinds: [
      { kind: 'checkin.received', label: 'A check-in for you' },
      { kind: 'checkin.replied', label: 'A reply to a check-in you sent' },
    ],
  },
  {
    title: 'Circles and threads you watch',
    kinds: [
      { kind: 'thread.new', label: 'New threads' },
      { kind: 'post.new', label: 'New posts (where you watch every post)' },
      { kind: 'reaction', label: 'Reactions to your posts' },
      { kind: 'meeting.reminder', label: 'A meeting you said you’d come to is soon' },
    ],
  },
  {
    title: 'Deciding together',
    kinds: [
      { kind: 'nomination', label: 'You were nominated' },
      { kind: 'election.opened', label: 'An election opened' },
      { kind: 'vote.opened', label: 'A vote on a proposal opened' },
      { kind: 'vote.outcome', label: 'How an election or vote turned out' },
    ],
  },
  {
    title: 'About you and your account',
    kinds: [
      { kind: 'join.answered', label: 'Your request to join a circle was answered' },
      { kind: 'moderation.about_me', label: 'A moderation decision about you' },
      { kind: 'appeal.panel', label: 'You were asked to sit on an appeal panel' },
      { kind: 'appeal.decided', label: 'Your appeal was decided' },
    ],
  },
];

/** What a one-click unsubscribe turns off: one kind, every kind sent at one cadence, or all mail. */
export type UnsubscribeScope = { kind: NotificationKind } | { cadence: SendingCadence } | { all: true };
