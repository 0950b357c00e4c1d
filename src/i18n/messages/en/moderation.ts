/** English: moderation. */
export const moderation = {
} as const;
