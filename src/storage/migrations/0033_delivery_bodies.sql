-- Issue 11: an activity sent to many inboxes is stored once, not once per
-- inbox. A reply in a circle with 5,000 followers' servers used to write its
-- body and its signing key 5,000 times; now one `ap_delivery_bodies` row holds
-- both and each delivery row names it. Rows queued before this migration (and
-- apex's own requeues) keep their body and key inline: readers take whichever
-- is there.
CREATE TABLE ap_delivery_bodies (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id text NOT NULL,
  signing_key text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ap_delivery_bodies_actor ON ap_delivery_bodies (actor_id);
ALTER TABLE ap_deliveries ADD COLUMN body_id bigint REFERENCES ap_delivery_bodies (id);
ALTER TABLE ap_deliveries ALTER COLUMN signing_key DROP NOT NULL;
ALTER TABLE ap_deliveries ALTER COLUMN body DROP NOT NULL;
ALTER TABLE ap_deliveries ADD CONSTRAINT ap_deliveries_have_body CHECK (body_id IS NOT NULL OR (body IS NOT NULL AND signing_key IS NOT NULL));
CREATE INDEX ap_deliveries_by_body ON ap_deliveries (body_id) WHERE body_id IS NOT NULL;
