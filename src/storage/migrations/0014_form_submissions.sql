-- One-time tokens of creation forms: a second submission of the same form
-- (Back and send again, a double click) leads to what the first one made.
CREATE TABLE form_submissions (
  member_id integer NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  token text NOT NULL,
  result_path text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, token)
);
CREATE INDEX form_submissions_created_at ON form_submissions (created_at);
