-- Several Hearth processes on one database (HEARTH_ROLE).

-- Signed inbox requests already accepted (replay protection), shared by every
-- process: the SHA-256 of the Signature header's signature, kept until a
-- replay could no longer pass the Date window.
CREATE TABLE inbox_signatures_seen (
  signature_hash text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX inbox_signatures_seen_by_expiry ON inbox_signatures_seen (expires_at);

-- Each post's text without markup, for matching members' muted words on every
-- page they read (instead of turning each post's HTML into text per request).
-- PostgreSQL keeps it at write time (inserts and edits) and fills it in for
-- every existing post here. The HTML is Hearth's sanitised output: tags become
-- spaces and the entities the sanitiser writes are decoded (&amp; last).
ALTER TABLE posts ADD COLUMN plain_text text GENERATED ALWAYS AS (
  replace(replace(replace(replace(replace(replace(
    regexp_replace(html, '<[^>]*>', ' ', 'g'),
    '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&')
) STORED;
