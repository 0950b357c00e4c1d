-- Circles on other servers (Hearth instances, Lemmy communities) that
-- members follow from here, and the threads Hearth receives from them.
CREATE TABLE remote_circles (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  iri text NOT NULL UNIQUE,
  host text NOT NULL,
  handle text NOT NULL,
  name text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  inbox text NOT NULL,
  shared_inbox text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE remote_circle_follows (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  remote_circle_id integer NOT NULL REFERENCES remote_circles (id) ON DELETE CASCADE,
  follow_iri text NOT NULL UNIQUE,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, remote_circle_id)
);

ALTER TABLE threads ALTER COLUMN circle_id DROP NOT NULL;
ALTER TABLE threads ADD COLUMN remote_circle_id integer REFERENCES remote_circles (id) ON DELETE CASCADE;
ALTER TABLE threads ADD CONSTRAINT threads_in_one_circle CHECK ((circle_id IS NULL) <> (remote_circle_id IS NULL));
CREATE INDEX threads_by_remote_circle ON threads (remote_circle_id, last_activity_at DESC, id DESC) WHERE remote_circle_id IS NOT NULL;
