-- Staying in touch (issue 10), the notifier's side: what each member chose to
-- be told (preferences), and what they watch (circles here or followed on
-- other servers, and threads) at one of three levels:
--   every    "every post"
--   replies  "replies to me and mentions" (the default: no row)
--   nothing  "nothing"
CREATE TABLE notification_preferences (
  member_id integer PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  -- reactions to my posts ("3 people said I hear you")
  reactions boolean NOT NULL DEFAULT true,
  -- kinds the member turned off (names from NOTIFICATION_KINDS)
  kinds_off text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL
);

CREATE TABLE circle_watches (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  remote_circle_id integer REFERENCES remote_circles (id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('every', 'replies', 'nothing')),
  updated_at timestamptz NOT NULL,
  CHECK ((circle_id IS NULL) <> (remote_circle_id IS NULL))
);
CREATE UNIQUE INDEX circle_watches_local ON circle_watches (circle_id, member_id) WHERE circle_id IS NOT NULL;
CREATE UNIQUE INDEX circle_watches_remote ON circle_watches (remote_circle_id, member_id) WHERE remote_circle_id IS NOT NULL;
CREATE INDEX circle_watches_by_member ON circle_watches (member_id);

CREATE TABLE thread_watches (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  thread_id integer NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('every', 'replies', 'nothing')),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (thread_id, member_id)
);
CREATE INDEX thread_watches_by_member ON thread_watches (member_id);

-- A post tells each member once (the durable job may run again after a failure):
-- one row per member and post for the post kinds, one per reaction given.
CREATE UNIQUE INDEX notifications_once_per_post ON notifications (member_id, post_id)
  WHERE post_id IS NOT NULL AND kind IN ('reply', 'mention', 'thread.new', 'post.new');
CREATE UNIQUE INDEX notifications_once_per_reaction ON notifications (member_id, post_id, actor_member_id, (details ->> 'reaction'))
  WHERE kind = 'reaction' AND actor_member_id IS NOT NULL;
-- Pruning old read notifications.
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;

-- "I'll come": members who said they would come to a meeting (every date of a
-- repeating one). They are reminded once per date, a day before.
CREATE TABLE meeting_attendance (
  meeting_id integer NOT NULL REFERENCES circle_meetings (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  -- the start of the last date they were reminded of
  reminded_for timestamptz,
  PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_by_member ON meeting_attendance (member_id);
