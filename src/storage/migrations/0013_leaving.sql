-- The right to leave. A member who deletes their account gets one row here:
-- pending (completed_at NULL) from the moment they confirm until the
-- background step has done it, then kept as the record that their handle
-- stays reserved (nobody can take it over and speak as them to other
-- servers) and that their actor answers 410 Gone. member_id is emptied when
-- the member row goes.
CREATE TABLE account_deletions (
  handle text PRIMARY KEY REFERENCES handles (name),
  member_id integer UNIQUE REFERENCES members (id) ON DELETE SET NULL,
  posts text NOT NULL CHECK (posts IN ('remove', 'keep')),
  requested_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX account_deletions_pending ON account_deletions (requested_at) WHERE completed_at IS NULL;
