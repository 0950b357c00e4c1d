/**
 * The rules a member's post passes before it is stored: the thread service
 * asks, moderation (moderation/) answers. A post may be refused (a thrown
 * HearthError saying why), held for a moderator, or shown at once.
 */
export interface PostingCheck {
  memberId: number;
  circleId: number;
  /** Null when the post opens a new thread. */
  threadId: number | null;
  source: string;
  contentWarning: string | null;
  at: Date;
}

export interface PostingPolicy {
  check(post: PostingCheck): Promise<{ held: boolean; why?: string }>;
}

/** Everything may be posted (for tools and tests without moderation). */
export const openPosting: PostingPolicy = { check: async () => ({ held: false }) };
