-- Supportive reactions instead of votes: a small fixed set, one of each kind
-- per person per post. Likes from other servers count as "I hear you".
CREATE TABLE reactions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('hear', 'me_too', 'thinking', 'thanks')),
  member_id integer REFERENCES members (id) ON DELETE CASCADE,
  remote_actor_id integer REFERENCES remote_actors (id) ON DELETE CASCADE,
  ap_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((member_id IS NULL) <> (remote_actor_id IS NULL))
);
CREATE UNIQUE INDEX one_reaction_per_member ON reactions (post_id, kind, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX one_reaction_per_remote ON reactions (post_id, kind, remote_actor_id) WHERE remote_actor_id IS NOT NULL;
CREATE INDEX reactions_by_post ON reactions (post_id);
