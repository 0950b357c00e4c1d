import type { AuthorRef } from '../members/member.js';

/**
 * Where a member stands in a conversation: a first message from someone they
 * haven't talked with waits as a request ('requested') they accept ('joined')
 * or ignore ('ignored'; the sender is never told which); anyone can leave.
 */
export type ParticipantState = 'requested' | 'joined' | 'ignored' | 'left';

/** Sizes and pace of conversations. */
export const CONVERSATION_LIMITS = {
  /** Characters in one message. */
  message: 5_000,
  /** People one starts a conversation with (besides oneself). */
  recipients: 8,
  /** Conversations one member can start in an hour. */
  startsPerHour: 20,
  /** Conversations shown in the list. */
  listed: 200,
} as const;

export interface Participant {
  memberId: number;
  handle: string;
  displayName: string;
  state: ParticipantState;
}

export interface ConversationMessage {
  id: number;
  authorId: number | null;
  /** Null once the author deleted their account ("a former member"). */
  author: AuthorRef | null;
  kind: 'message' | 'left';
  html: string;
  createdAt: Date;
  /** Its author removed their words when they deleted their account. */
  removed: boolean;
}

export interface ConversationSummary {
  id: number;
  state: ParticipantState;
  lastMessageAt: Date;
  /** Messages from others since the member last looked. */
  unread: boolean;
  /** The names of the others still in it. */
  others: string[];
}
