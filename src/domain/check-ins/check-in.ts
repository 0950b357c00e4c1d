import { msg, type MessageRef } from '../../i18n/message.js';

/**
 * Asking a peer to check in on someone (issue 12, items 9 and 10). This is care,
 * not moderation: nothing is hidden, nobody outside Hearth is contacted, no
 * automatic message is sent, and the person it concerns decides who may check
 * in on them.
 */

/** open: waiting for a peer; taken: kept for later use; sent: a peer wrote; declined: the person's choice didn't allow it. */
export type CheckInRequestStatus = 'open' | 'taken' | 'sent' | 'declined';

/** Who may check in on a member: any peer who offered to (the default), nobody, or only peers they chose. */
export type CheckInChoice = 'anyone' | 'nobody' | 'chosen';

export const CHECK_IN_CHOICES: ReadonlyArray<{ value: CheckInChoice; label: MessageRef; hint: MessageRef }> = [
  { value: 'anyone', label: msg('together.choice.anyone'), hint: msg('together.choice.anyone_hint') },
  { value: 'chosen', label: msg('together.choice.chosen'), hint: msg('together.choice.chosen_hint') },
  { value: 'nobody', label: msg('together.choice.nobody'), hint: msg('together.choice.nobody_hint') },
];

export interface CheckInRequest {
  id: number;
  askedBy: number | null;
  memberId: number;
  memberHandle: string;
  /** The person asked for their own check-in. */
  forSelf: boolean;
  circleId: number | null;
  postId: number | null;
  note: string;
  status: CheckInRequestStatus;
  takenBy: number | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface CheckInMessage {
  id: number;
  toMemberId: number;
  toHandle: string;
  fromMemberId: number | null;
  fromHandle: string | null;
  circleId: number | null;
  requestId: number | null;
  replyTo: number | null;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

/** What the asker sees about their request (never who wrote, never the person's choices beyond "not passed on"). */
export function requestStatusText(status: CheckInRequestStatus): MessageRef {
  switch (status) {
    case 'open':
    case 'taken':
      return msg('together.status.waiting');
    case 'sent':
      return msg('together.status.sent');
    case 'declined':
    default:
      return msg('together.status.declined');
  }
}

/** Requests a member may ask in an hour. */
export const CHECK_IN_REQUESTS_PER_HOUR = 10;
