-- Posts that come from other servers (replies written on Mastodon, threads
-- from followed circles elsewhere), and the people who wrote them.
CREATE TABLE remote_actors (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  iri text NOT NULL UNIQUE,
  host text NOT NULL,
  handle text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  profile_url text,
  avatar_url text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE posts ADD COLUMN remote_author_id integer REFERENCES remote_actors (id) ON DELETE CASCADE;
-- The ActivityPub id of a post that came from another server.
ALTER TABLE posts ADD COLUMN ap_id text UNIQUE;
ALTER TABLE posts ADD CONSTRAINT posts_one_author CHECK (author_id IS NULL OR remote_author_id IS NULL);
ALTER TABLE posts ADD CONSTRAINT posts_remote_have_ids CHECK (remote_author_id IS NULL OR ap_id IS NOT NULL);

ALTER TABLE threads ADD COLUMN remote_author_id integer REFERENCES remote_actors (id) ON DELETE SET NULL;
