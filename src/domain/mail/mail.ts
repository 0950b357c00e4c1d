import { msg, type MessageRef } from '../../i18n/message.js';
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
export const MAIL_KIND_GROUPS: ReadonlyArray<{ title: MessageRef; kinds: ReadonlyArray<{ kind: NotificationKind; label: MessageRef }> }> = [
  {
    title: msg('accounts.mail.group.talking'),
    kinds: [
      { kind: 'reply', label: msg('accounts.mail.kind.reply') },
      { kind: 'mention', label: msg('accounts.mail.kind.mention') },
      { kind: 'conversation.request', label: msg('accounts.mail.kind.conversation_request') },
      { kind: 'conversation.message', label: msg('accounts.mail.kind.conversation_message') },
    ],
  },
  {
    title: msg('accounts.mail.group.check_ins'),
    kinds: [
      { kind: 'checkin.received', label: msg('accounts.mail.kind.checkin_received') },
      { kind: 'checkin.replied', label: msg('accounts.mail.kind.checkin_replied') },
    ],
  },
  {
    title: msg('accounts.mail.group.watching'),
    kinds: [
      { kind: 'thread.new', label: msg('accounts.mail.kind.thread_new') },
      { kind: 'post.new', label: msg('accounts.mail.kind.post_new') },
      { kind: 'reaction', label: msg('accounts.mail.kind.reaction') },
      { kind: 'meeting.reminder', label: msg('accounts.mail.kind.meeting_reminder') },
    ],
  },
  {
    title: msg('accounts.mail.group.deciding'),
    kinds: [
      { kind: 'nomination', label: msg('accounts.mail.kind.nomination') },
      { kind: 'election.opened', label: msg('accounts.mail.kind.election_opened') },
      { kind: 'vote.opened', label: msg('accounts.mail.kind.vote_opened') },
      { kind: 'vote.outcome', label: msg('accounts.mail.kind.vote_outcome') },
    ],
  },
  {
    title: msg('accounts.mail.group.about_you'),
    kinds: [
      { kind: 'join.answered', label: msg('accounts.mail.kind.join_answered') },
      { kind: 'moderation.about_me', label: msg('accounts.mail.kind.moderation_about_me') },
      { kind: 'appeal.panel', label: msg('accounts.mail.kind.appeal_panel') },
      { kind: 'appeal.decided', label: msg('accounts.mail.kind.appeal_decided') },
    ],
  },
];

/** What a one-click unsubscribe turns off: one kind, every kind sent at one cadence, or all mail. */
export type UnsubscribeScope = { kind: NotificationKind } | { cadence: SendingCadence } | { all: true };
