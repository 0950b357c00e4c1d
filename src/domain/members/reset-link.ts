/** The address of a one-time password reset link (the token travels in the query, which Hearth never logs). */
export function resetLinkFor(publicUrl: URL, token: string): string {
  return new URL(`/login/reset?token=${encodeURIComponent(token)}`, publicUrl).href;
}
