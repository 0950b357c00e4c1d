/** The first muted word or phrase found in `text` (as a whole word, ignoring case), if any. */
export function mutedWordIn(text: string, mutedWords: readonly string[]): string | undefined {
  if (mutedWords.length === 0) return undefined;
  const haystack = text.toLowerCase();
  return mutedWords.find((word) => {
    const escaped = word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(haystack);
  });
}
