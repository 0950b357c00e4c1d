-- Care is not policing (issue 12, items 9, 10, 15).
--
-- Asking a peer to check in is its own thing, no longer a kind of report:
-- requests live in check_in_requests (for someone else, or for oneself), each
-- member chooses who may check in on them, and the messages a circle's
-- moderators send about a post live apart from peers' check-ins.

CREATE TABLE check_in_requests (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Who asked (the person themselves when they asked for their own check-in).
  asked_by integer REFERENCES members (id) ON DELETE SET NULL,
  -- The person a peer would check in with.
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  circle_id integer REFERENCES circles (id) ON DELETE SET NULL,
  post_id integer REFERENCES posts (id) ON DELETE SET NULL,
  note text NOT NULL DEFAULT '',
  -- open: waiting for a volunteer; taken: a volunteer said they'd write;
  -- sent: a check-in was sent; declined: the person asked not to be checked in on (by this volunteer).
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'sent', 'declined')),
  taken_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  -- Only while this migration runs: which worried report a request came from.
  from_report integer
);
CREATE INDEX check_in_requests_open ON check_in_requests (status, created_at);
CREATE INDEX check_in_requests_by_asker ON check_in_requests (asked_by, created_at DESC);

-- "Who may check in on me": anyone who volunteered (no row), nobody, or only chosen peers.
CREATE TABLE check_in_choices (
  member_id integer PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  choice text NOT NULL CHECK (choice IN ('anyone', 'nobody', 'chosen')),
  updated_at timestamptz NOT NULL
);

CREATE TABLE check_in_chosen_peers (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  peer_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  PRIMARY KEY (member_id, peer_id),
  CHECK (member_id <> peer_id)
);

ALTER TABLE check_ins ADD COLUMN request_id integer REFERENCES check_in_requests (id) ON DELETE SET NULL;
ALTER TABLE check_ins ADD COLUMN reply_to integer REFERENCES check_ins (id) ON DELETE SET NULL;

-- A message from a circle's moderators about a member's post: moderation, not care.
CREATE TABLE moderator_messages (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action_id integer REFERENCES moderation_actions (id) ON DELETE SET NULL,
  circle_id integer REFERENCES circles (id) ON DELETE SET NULL,
  to_member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  post_id integer REFERENCES posts (id) ON DELETE SET NULL,
  agreement text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX moderator_messages_to ON moderator_messages (to_member_id, created_at DESC);

-- What a reporter chose to send to another server with a forwarded report (NULL: the note as written).
ALTER TABLE reports ADD COLUMN forward_note text;

-- Worried reports become requests; their check-ins point at the request.
INSERT INTO check_in_requests (asked_by, member_id, circle_id, post_id, note, status, taken_by, created_at, closed_at, from_report)
SELECT reporter_id, member_id, circle_id, post_id, note,
       CASE WHEN status = 'open' THEN 'open' WHEN status = 'checking_in' THEN 'taken' ELSE 'sent' END,
       handled_by, created_at, closed_at, id
  FROM reports WHERE reason = 'worried' AND member_id IS NOT NULL;
UPDATE check_ins c SET request_id = r.id FROM check_in_requests r WHERE c.report_id = r.from_report;
ALTER TABLE check_in_requests DROP COLUMN from_report;

-- Moderators' "private check-ins" become moderators' messages.
INSERT INTO moderator_messages (action_id, circle_id, to_member_id, post_id, agreement, body, created_at, read_at)
SELECT a.id, c.circle_id, c.to_member_id, a.post_id, a.agreement, c.body, c.created_at, c.read_at
  FROM check_ins c JOIN moderation_actions a
    ON a.kind = 'check_in' AND a.member_id = c.to_member_id AND a.acted_by = c.from_member_id AND a.detail->>'message' = c.body;
DELETE FROM check_ins c USING moderation_actions a
 WHERE a.kind = 'check_in' AND a.member_id = c.to_member_id AND a.acted_by = c.from_member_id AND a.detail->>'message' = c.body;

DELETE FROM reports WHERE reason = 'worried';
ALTER TABLE check_ins DROP COLUMN report_id;
ALTER TABLE reports DROP CONSTRAINT reports_reason_check;
ALTER TABLE reports ADD CONSTRAINT reports_reason_check CHECK (reason IN ('agreements', 'harassment', 'spam', 'other'));

-- The moderators' action is a message from the circle's moderators, not a check-in.
ALTER TABLE moderation_actions DROP CONSTRAINT moderation_actions_kind_check;
UPDATE moderation_actions SET kind = 'message' WHERE kind = 'check_in';
ALTER TABLE moderation_actions ADD CONSTRAINT moderation_actions_kind_check CHECK (kind IN (
  'message', 'add_content_warning', 'slow_thread', 'lock_thread', 'hide_post', 'restore_post',
  'hold_member', 'mute_member', 'remove_member', 'suspend_account', 'block_instance'));
