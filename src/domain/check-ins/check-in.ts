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

export const CHECK_IN_CHOICES: ReadonlyArray<{ value: CheckInChoice; label: string; hint: string }> = [
  { value: 'anyone', label: 'Any peer who offered to check in', hint: 'Members who offered their time can write to you when someone asks them to.' },
  { value: 'chosen', label: 'Only the peers I name', hint: 'Only these members see requests about you, even if others offered.' },
  { value: 'nobody', label: 'Please don’t check in on me', hint: 'Requests about you aren’t passed on. You can still ask for a check-in yourself, or change this any time.' },
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
export function requestStatusText(status: CheckInRequestStatus): string {
  switch (status) {
    case 'open':
    case 'taken':
      return 'Waiting for a peer';
    case 'sent':
      return 'A peer checked in';
    case 'declined':
    default:
      return 'Not passed on';
  }
}

/** Requests a member may ask in an hour. */
export const CHECK_IN_REQUESTS_PER_HOUR = 10;
