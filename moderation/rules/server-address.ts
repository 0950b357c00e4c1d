/**
 * Whether text is another server's address as federation sees it (the host of
 * its actors' URLs): a domain name, or an IPv4 address, with an optional port.
 */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const ADDRESS = new RegExp(`^(?=.{1,253}(?::\\d{1,5})?$)${LABEL}(?:\\.${LABEL})+(?::\\d{1,5})?$`);

export function isServerAddress(text: string): boolean {
  return ADDRESS.test(text);
}
