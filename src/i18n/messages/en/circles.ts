/** English: circles. */
export const circles = {
} as const;
