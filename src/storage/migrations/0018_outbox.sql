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
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at, id) WHERE gave_up_at IS NULL;

-- Refreshing an actor's key touches only that actor's waiting deliveries.
CREATE INDEX ap_deliveries_actor ON ap_deliveries (actor_id);
