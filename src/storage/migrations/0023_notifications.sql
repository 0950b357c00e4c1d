-- Staying in touch (issue 10): what each member is told, and who a post mentions.
--
-- One row per thing a member is told. Written in the transaction of the change
-- that caused it (or by a durable job), so nothing is lost when a process
-- stops right after a reply is saved. Channels (the page, e-mail) read rows.
CREATE TABLE notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  -- one of NOTIFICATION_KINDS in src/domain/notifications/notification.ts
  kind text NOT NULL,
  -- who caused it: a member here, someone on another server, or nobody (the instance)
  actor_member_id integer REFERENCES members (id) ON DELETE SET NULL,
  actor_remote_id integer REFERENCES remote_actors (id) ON DELETE SET NULL,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  thread_id integer REFERENCES threads (id) ON DELETE CASCADE,
  post_id integer REFERENCES posts (id) ON DELETE CASCADE,
  -- where the notification leads (a path on this instance, e.g. /c/voices/t/7?page=2#post-41)
  link text NOT NULL,
  -- small kind-specific details (a reaction's kind, a proposal's title…), never a post's text
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  -- not shown or mailed before this (a member's break or quiet hours keep it for later)
  visible_from timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_by_member ON notifications (member_id, visible_from DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (member_id, visible_from) WHERE read_at IS NULL;

-- Who a post mentions (@handle, @handle@other.server). Local members by id;
-- people on other servers by their actor's IRI. Written with the post.
CREATE TABLE post_mentions (
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  member_id integer REFERENCES members (id) ON DELETE CASCADE,
  remote_actor_iri text,
  CHECK ((member_id IS NULL) <> (remote_actor_iri IS NULL))
);
CREATE UNIQUE INDEX post_mentions_member ON post_mentions (post_id, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX post_mentions_remote ON post_mentions (post_id, remote_actor_iri) WHERE remote_actor_iri IS NOT NULL;
CREATE INDEX post_mentions_by_member ON post_mentions (member_id) WHERE member_id IS NOT NULL;
