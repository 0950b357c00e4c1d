/** English: staying. */
export const staying = {
} as const;
