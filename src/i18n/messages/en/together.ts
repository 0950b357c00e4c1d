/** English: together. */
export const together = {
} as const;
