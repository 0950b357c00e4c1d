/**
 * What may be written to logs about a request's address: its path only.
 * Query strings can hold single-use secrets (invite codes, reset tokens).
 */
export function withoutQuery(url: string | undefined): string {
  if (!url) return '';
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}
