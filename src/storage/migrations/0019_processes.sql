-- Several Hearth processes on one database (HEARTH_ROLE).

-- Signed inbox requests already accepted (replay protection), shared by every
-- process: the SHA-256 of the Signature header's signature, kept until a
-- replay could no longer pass the Date window.
CREATE TABLE inbox_signatures_seen (
  signature_hash text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX inbox_signatures_seen_by_expiry ON inbox_signatures_seen (expires_at);

-- Each post's text without markup, kept at write time (muted words are
-- matched against it on every page a member reads). NULL for posts written
-- before this migration until the server fills it in (in the background).
ALTER TABLE posts ADD COLUMN plain_text text;
