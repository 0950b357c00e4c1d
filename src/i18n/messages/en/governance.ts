/** English: governance. */
export const governance = {
} as const;
