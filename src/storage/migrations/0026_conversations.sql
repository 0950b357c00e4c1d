-- Private conversations (issue 10, item 6): a few members of this instance
-- writing to each other. They never leave the instance.

-- Who may start a conversation with a member: nobody, people they share a
-- circle with (the default), or anyone here.
ALTER TABLE members ADD COLUMN who_may_message text NOT NULL DEFAULT 'circles'
  CHECK (who_may_message IN ('nobody', 'circles', 'anyone'));

CREATE TABLE conversations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  last_message_at timestamptz NOT NULL
);

-- Each person in a conversation and where they stand: a first message from
-- someone they haven't talked with waits as a request ('requested'), which
-- they accept ('joined') or ignore ('ignored'; the sender is never told
-- which); anyone can leave ('left').
CREATE TABLE conversation_participants (
  conversation_id integer NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('requested', 'joined', 'ignored', 'left')),
  added_at timestamptz NOT NULL,
  -- when they took part: added as 'joined', or accepted the request (leaving keeps it)
  accepted_at timestamptz,
  -- the last message they saw (for "new since you looked")
  last_read_id integer NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, member_id)
);
CREATE INDEX conversation_participants_by_member ON conversation_participants (member_id, state);

-- Messages: markdown source, sanitised HTML, and plain text (for search).
-- 'left' rows say that their author left. A removed message (its author
-- deleted their account and chose to remove their words) keeps a placeholder.
CREATE TABLE conversation_messages (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id integer NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  author_id integer REFERENCES members (id) ON DELETE SET NULL,
  kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'left')),
  source text NOT NULL DEFAULT '',
  html text NOT NULL DEFAULT '',
  plain_text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  removed_at timestamptz
);
CREATE INDEX conversation_messages_in_order ON conversation_messages (conversation_id, id);
CREATE INDEX conversation_messages_by_author ON conversation_messages (author_id);

-- A report about a message goes to the stewards (circle_id NULL, member_id
-- its author); the message's text is shown to them only if the reporter chose so.
ALTER TABLE reports ADD COLUMN conversation_message_id integer REFERENCES conversation_messages (id) ON DELETE SET NULL;
ALTER TABLE reports ADD COLUMN message_text_shared boolean NOT NULL DEFAULT false;
