-- Members' pictures (issue 10): uploaded, resized and stripped of metadata on
-- the server, kept in the database so every process serves the same one.
-- `avatar_version` changes with each upload, so pages link to an address
-- browsers may keep for good; null: the member has none (initials are shown).
CREATE TABLE member_avatars (
  member_id integer PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  image bytea NOT NULL,
  content_type text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE members ADD COLUMN avatar_version text;
