-- Accounts and their safety: rate-limit counters shared by every Hearth
-- process, members' recovery codes, and stewards' one-time reset links.

-- One fixed-window counter per key (a limiter's name and who it counts, e.g.
-- "login-account:alice"). Rows past reset_at count as empty and are pruned.
CREATE TABLE rate_limit_counters (
  key text PRIMARY KEY,
  count integer NOT NULL,
  reset_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_counters_reset_at ON rate_limit_counters (reset_at);

-- Single-use recovery codes: only the SHA-256 of each code is kept (the codes
-- are 80 random bits, so a fast hash is enough). A new set replaces the old.
CREATE TABLE recovery_codes (
  member_id integer NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (member_id, code_hash)
);

-- One-time password reset links (a steward's, later e-mail's): only the
-- SHA-256 of the 256-bit token is kept.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  member_id integer NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  issued_by integer REFERENCES members(id) ON DELETE SET NULL,
  channel text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX password_resets_member ON password_resets (member_id);
