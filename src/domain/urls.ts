/** A URL from text, or undefined when the text is not one (no exceptions to catch). */
export function parseUrl(text: string): URL | undefined {
  return URL.canParse(text) ? new URL(text) : undefined;
}
