-- The transactional outbox. A change that other servers must hear about
-- (a post, an edit, a reaction, a moderators' removal, a meeting) records
-- one row here inside the transaction that makes the change, so the event
-- exists if and only if the change does. A background worker in every Hearth
-- process claims due rows (FOR UPDATE SKIP LOCKED, with a lease), turns each
-- into activities and deliveries, and deletes it; a failure is retried with
-- backoff and, after the last attempt, kept with gave_up_at set (and logged).
CREATE TABLE outbox_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  payload jsonb NOT NULL,
  attempt integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  gave_up_at timestamptz,
  applied_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at, id) WHERE gave_up_at IS NULL AND applied_at IS NULL;

-- The durable inbox. An incoming activity that passed Hearth's checks and
-- apex's inbox steps is recorded here before the 2xx answer; a worker then
-- applies Hearth's reaction to it (a reply placed, a Like counted, a Follow
-- accepted…), retrying with backoff. One row per activity id: a second
-- delivery of the same activity is not applied again; applied rows keep
-- applied_at (and are pruned after 30 days).
CREATE TABLE inbox_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  activity_id text NOT NULL UNIQUE,
  name text NOT NULL,
  payload jsonb NOT NULL,
  attempt integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  gave_up_at timestamptz,
  applied_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_events_due ON inbox_events (next_attempt_at, id) WHERE gave_up_at IS NULL AND applied_at IS NULL;
CREATE INDEX inbox_events_applied ON inbox_events (applied_at) WHERE applied_at IS NOT NULL;

-- Refreshing an actor's key touches only that actor's waiting deliveries.
CREATE INDEX ap_deliveries_actor ON ap_deliveries (actor_id);
