/** English: content. */
export const content = {
} as const;
