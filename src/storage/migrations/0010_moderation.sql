-- Peer-led moderation (moderation/): who belongs to a circle, its rules and
-- agreements, elected moderators, reports, actions under the two-person rule,
-- appeals, proposals and votes, and the public log.

-- Belonging to a circle: members join (posting joins too). Votes, quorums and
-- appeal panels count the circle's members.
CREATE TABLE circle_members (
  circle_id integer NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (circle_id, member_id)
);
CREATE INDEX circle_members_by_member ON circle_members (member_id);
INSERT INTO circle_members (circle_id, member_id, joined_at)
  SELECT DISTINCT t.circle_id, p.author_id, min(p.created_at)
  FROM posts p JOIN threads t ON t.id = p.thread_id
  WHERE p.author_id IS NOT NULL AND t.circle_id IS NOT NULL
  GROUP BY t.circle_id, p.author_id;
INSERT INTO circle_members (circle_id, member_id, joined_at)
  SELECT id, created_by, created_at FROM circles WHERE created_by IS NOT NULL
  ON CONFLICT DO NOTHING;

-- A circle's own settings for moderation. A missing row means the defaults
-- in moderation/policies/defaults.ts.
CREATE TABLE circle_policies (
  circle_id integer PRIMARY KEY REFERENCES circles (id) ON DELETE CASCADE,
  confirm_hours integer NOT NULL CHECK (confirm_hours BETWEEN 1 AND 336),
  term_days integer NOT NULL CHECK (term_days BETWEEN 7 AND 730),
  quorum_percent integer NOT NULL CHECK (quorum_percent BETWEEN 0 AND 100),
  quorum_fallback text NOT NULL CHECK (quorum_fallback IN ('stands', 'advisory', 'extend')),
  first_posts_held boolean NOT NULL,
  content_warning_required boolean NOT NULL,
  keyword_filters text[] NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Community agreements, per circle or for the instance (circle_id NULL);
-- every version is kept. Items are the numbered agreements actions cite.
CREATE TABLE agreements (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  items jsonb NOT NULL,
  proposal_id integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agreements_circle_version ON agreements (circle_id, version) WHERE circle_id IS NOT NULL;
CREATE UNIQUE INDEX agreements_instance_version ON agreements (version) WHERE circle_id IS NULL;

-- Elected moderators and their terms (a circle's founder moderates without a
-- row, until the first election or for 30 days).
CREATE TABLE moderator_terms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text CHECK (end_reason IN ('stepped_back', 'recalled')),
  proposal_id integer,
  CHECK (ends_at > starts_at)
);
CREATE INDEX moderator_terms_by_circle ON moderator_terms (circle_id, ends_at);

-- Members who offer to check in on someone ("I'm worried about someone") or to
-- sit on an appeal panel.
CREATE TABLE volunteers (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('check_in', 'appeal_panel')),
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, role)
);

CREATE TABLE reports (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  reporter_id integer REFERENCES members (id) ON DELETE SET NULL,
  -- Reports from other servers (Flag) name the server, never a person.
  origin_host text,
  post_id integer REFERENCES posts (id) ON DELETE SET NULL,
  member_id integer REFERENCES members (id) ON DELETE SET NULL,
  remote_actor_id integer REFERENCES remote_actors (id) ON DELETE SET NULL,
  reason text NOT NULL CHECK (reason IN ('agreements', 'harassment', 'spam', 'worried', 'other')),
  note text NOT NULL DEFAULT '',
  forward boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'checking_in', 'closed')),
  outcome text CHECK (outcome IN ('acted', 'no_action', 'malicious', 'checked_in')),
  outcome_note text NOT NULL DEFAULT '',
  handled_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  CHECK (post_id IS NOT NULL OR member_id IS NOT NULL OR remote_actor_id IS NOT NULL OR origin_host IS NOT NULL)
);
CREATE INDEX reports_open_by_circle ON reports (circle_id, status, created_at);
CREATE INDEX reports_by_reporter ON reports (reporter_id, created_at DESC);

CREATE TABLE moderation_actions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- NULL for instance-level actions (suspend an account, block an instance).
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN (
    'check_in', 'add_content_warning', 'slow_thread', 'lock_thread', 'hide_post', 'restore_post',
    'hold_member', 'mute_member', 'remove_member', 'suspend_account', 'block_instance')),
  status text NOT NULL CHECK (status IN ('awaiting', 'pending', 'standing', 'lapsed', 'declined', 'ended', 'overturned', 'put_to_vote')),
  post_id integer REFERENCES posts (id) ON DELETE SET NULL,
  thread_id integer REFERENCES threads (id) ON DELETE SET NULL,
  member_id integer REFERENCES members (id) ON DELETE SET NULL,
  remote_actor_id integer REFERENCES remote_actors (id) ON DELETE SET NULL,
  remote_host text,
  report_id integer REFERENCES reports (id) ON DELETE SET NULL,
  agreement text NOT NULL,
  reason text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  withhold_name boolean NOT NULL DEFAULT false,
  acted_by integer REFERENCES members (id) ON DELETE SET NULL,
  confirmed_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  confirm_by timestamptz,
  effective_at timestamptz,
  ends_at timestamptz,
  settled_at timestamptz
);
CREATE INDEX moderation_actions_by_circle ON moderation_actions (circle_id, status);
CREATE INDEX moderation_actions_due ON moderation_actions (status, confirm_by, ends_at);
CREATE INDEX moderation_actions_by_member ON moderation_actions (member_id, created_at DESC);

-- What an action currently does to a member in a circle (or, with circle_id
-- NULL, on the whole instance): their posts held, muted, removed.
CREATE TABLE member_restrictions (
  action_id integer PRIMARY KEY REFERENCES moderation_actions (id) ON DELETE CASCADE,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  member_id integer REFERENCES members (id) ON DELETE CASCADE,
  remote_actor_id integer REFERENCES remote_actors (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('hold', 'mute', 'remove')),
  ends_at timestamptz
);
CREATE INDEX member_restrictions_lookup ON member_restrictions (circle_id, member_id);

ALTER TABLE threads ADD COLUMN locked_at timestamptz;
ALTER TABLE threads ADD COLUMN slow_seconds integer NOT NULL DEFAULT 0 CHECK (slow_seconds >= 0);

CREATE TABLE instance_blocks (
  host text PRIMARY KEY,
  action_id integer REFERENCES moderation_actions (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Moderators who stepped back from one case; it leaves their queue.
CREATE TABLE case_recusals (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  report_id integer REFERENCES reports (id) ON DELETE CASCADE,
  action_id integer REFERENCES moderation_actions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (report_id IS NOT NULL OR action_id IS NOT NULL)
);
CREATE UNIQUE INDEX case_recusals_once ON case_recusals (member_id, coalesce(report_id, 0), coalesce(action_id, 0));

CREATE TABLE appeals (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action_id integer NOT NULL UNIQUE REFERENCES moderation_actions (id) ON DELETE CASCADE,
  member_id integer REFERENCES members (id) ON DELETE SET NULL,
  statement text NOT NULL,
  route text NOT NULL CHECK (route IN ('moderators', 'panel')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'overturned')),
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);

CREATE TABLE appeal_deciders (
  appeal_id integer NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  decision text CHECK (decision IN ('uphold', 'overturn')),
  reason text NOT NULL DEFAULT '',
  decided_at timestamptz,
  PRIMARY KEY (appeal_id, member_id)
);

-- Private check-in messages between peers (never automated).
CREATE TABLE check_ins (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  from_member_id integer REFERENCES members (id) ON DELETE SET NULL,
  circle_id integer REFERENCES circles (id) ON DELETE SET NULL,
  report_id integer REFERENCES reports (id) ON DELETE SET NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX check_ins_to ON check_ins (to_member_id, created_at DESC);

CREATE TABLE member_blocks (
  blocker_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  blocked_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id),
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX member_blocks_blocked ON member_blocks (blocked_id);

CREATE TABLE proposals (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('election', 'recall', 'agreements', 'instance_block', 'action')),
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  mode text NOT NULL CHECK (mode IN ('majority', 'consent')),
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('nominating', 'open', 'passed', 'rejected', 'advisory', 'no_quorum')),
  quorum integer NOT NULL CHECK (quorum >= 0),
  eligible integer NOT NULL CHECK (eligible >= 0),
  quorum_fallback text NOT NULL CHECK (quorum_fallback IN ('stands', 'advisory', 'extend')),
  extended boolean NOT NULL DEFAULT false,
  created_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  voting_opens_at timestamptz NOT NULL,
  deadline timestamptz NOT NULL,
  decided_at timestamptz,
  outcome jsonb,
  CHECK (deadline > voting_opens_at)
);
CREATE INDEX proposals_by_circle ON proposals (circle_id, status, deadline);

CREATE TABLE nominations (
  proposal_id integer NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  nominated_by integer REFERENCES members (id) ON DELETE SET NULL,
  accepted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (proposal_id, member_id)
);

-- Ballots are private: only totals are ever shown.
CREATE TABLE votes (
  proposal_id integer NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  choice text NOT NULL,
  reason text NOT NULL DEFAULT '',
  cast_at timestamptz NOT NULL,
  PRIMARY KEY (proposal_id, member_id)
);

-- The public moderation log, per circle and for the instance (circle_id NULL).
CREATE TABLE moderation_log (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer REFERENCES circles (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  event text NOT NULL,
  summary text NOT NULL,
  agreement text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  moderators text[] NOT NULL DEFAULT '{}',
  subject text,
  action_id integer REFERENCES moderation_actions (id) ON DELETE SET NULL,
  proposal_id integer REFERENCES proposals (id) ON DELETE SET NULL,
  appeal_id integer REFERENCES appeals (id) ON DELETE SET NULL
);
CREATE INDEX moderation_log_by_circle ON moderation_log (circle_id, id DESC);
