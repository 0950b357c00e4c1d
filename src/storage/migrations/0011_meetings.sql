-- What peer-run groups need: circles list their meetings, and pin the
-- resources they share.

-- A meeting is kept as the circle wrote it: a local date and wall-clock time
-- in an IANA time zone, so a weekly 19:00 meeting stays at 19:00 when the
-- clocks change. first_starts_at and ends_by are worked out from those by
-- Hearth, for finding upcoming meetings (ends_by is null while a repeating
-- meeting has no end date).
CREATE TABLE circle_meetings (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
  title text NOT NULL,
  description_source text NOT NULL DEFAULT '',
  description_html text NOT NULL DEFAULT '',
  start_date date NOT NULL,
  start_time time NOT NULL,
  time_zone text NOT NULL,
  duration_minutes integer NOT NULL DEFAULT 90 CHECK (duration_minutes BETWEEN 5 AND 1440),
  recurrence text NOT NULL DEFAULT 'none' CHECK (recurrence IN ('none', 'weekly', 'monthly')),
  repeat_until date CHECK (repeat_until IS NULL OR (recurrence <> 'none' AND repeat_until >= start_date)),
  place text NOT NULL DEFAULT '',
  link text,
  contact text NOT NULL DEFAULT '',
  first_starts_at timestamptz NOT NULL,
  ends_by timestamptz,
  created_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Each edit counts up (iCalendar SEQUENCE), so calendar apps take the change.
  sequence integer NOT NULL DEFAULT 0,
  cancelled_at timestamptz
);
CREATE INDEX circle_meetings_upcoming ON circle_meetings (circle_id, first_starts_at) WHERE cancelled_at IS NULL;

-- Resources a circle pins for its members, in the order its keepers chose.
CREATE TABLE circle_resources (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
  title text NOT NULL,
  link text,
  description text NOT NULL DEFAULT '',
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX circle_resources_order ON circle_resources (circle_id, position, id);
