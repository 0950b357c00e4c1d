/** Reading what HTTP requests carry in their addresses, for the web pages and ActivityPub alike. */

/** A numeric id from the path, or undefined for anything else. */
export function idParam(value: string | undefined): number | undefined {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : undefined;
}
