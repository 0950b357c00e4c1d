-- Members' own wellbeing tools: a personal "What helps me" plan (private,
-- shared only with members they name, never federated), and breaks they set
-- for themselves (quiet hours, a daily limit, optionally locked).

CREATE TABLE support_plans (
  member_id integer PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  helps text NOT NULL DEFAULT '',
  does_not_help text NOT NULL DEFAULT '',
  early_signs text NOT NULL DEFAULT '',
  hear_from text NOT NULL DEFAULT '',
  anything_else text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL
);

CREATE TABLE support_plan_shares (
  owner_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  reader_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (owner_id, reader_id),
  CHECK (owner_id <> reader_id)
);
CREATE INDEX support_plan_shares_reader ON support_plan_shares (reader_id);

CREATE TABLE break_settings (
  member_id integer PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  -- Minutes after midnight, in the member's time zone; NULL = no quiet hours.
  quiet_from integer CHECK (quiet_from BETWEEN 0 AND 1439),
  quiet_to integer CHECK (quiet_to BETWEEN 0 AND 1439),
  time_zone text NOT NULL,
  daily_minutes integer CHECK (daily_minutes BETWEEN 5 AND 1440),
  locked_until timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
);

-- Minutes in which a member used Hearth, per day in their own time zone
-- (counted only for members with a daily limit).
CREATE TABLE activity_minutes (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  day date NOT NULL,
  minutes integer NOT NULL DEFAULT 0,
  last_minute timestamptz NOT NULL,
  PRIMARY KEY (member_id, day)
);
