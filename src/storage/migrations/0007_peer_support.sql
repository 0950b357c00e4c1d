-- Peer-support features: someone to talk to (the group's own support lines)
-- and "I'm okay now" on threads.
CREATE TABLE support_lines (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  how_to_reach text NOT NULL,
  link text,
  hours text NOT NULL DEFAULT '',
  languages text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  emergency_services text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The author said "I'm okay now": the thread no longer waits for a reply.
ALTER TABLE threads ADD COLUMN resolved_at timestamptz;
CREATE INDEX threads_waiting ON threads (created_at) WHERE reply_count = 0 AND resolved_at IS NULL;
