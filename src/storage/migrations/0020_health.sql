-- The Health page's record of deliveries given up, per server (bounded: one
-- row per host). The delivery queue deletes a delivery when it gives up on
-- it; this trigger notes the deletions of deliveries that were on their last
-- attempt (attempt 19 of 20, claimed by a worker whose lease still runs, with
-- an error from the attempt before). The error kept is that earlier one: the
-- last attempt's own error is not written before the row goes. A success on
-- that very last attempt is counted too (rare; the README says so).
CREATE TABLE delivery_give_ups (
  host text PRIMARY KEY,
  given_up bigint NOT NULL DEFAULT 0,
  last_error text,
  last_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION note_delivery_give_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.attempt >= 19 AND OLD.last_error IS NOT NULL AND OLD.locked_until > now() THEN
    INSERT INTO delivery_give_ups (host, given_up, last_error, last_at)
    VALUES (COALESCE(substring(OLD.address from '^[A-Za-z]+://([^/]+)'), OLD.address), 1, OLD.last_error, now())
    ON CONFLICT (host) DO UPDATE
      SET given_up = delivery_give_ups.given_up + 1, last_error = EXCLUDED.last_error, last_at = EXCLUDED.last_at;
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER ap_deliveries_give_up AFTER DELETE ON ap_deliveries
  FOR EACH ROW EXECUTE FUNCTION note_delivery_give_up();
