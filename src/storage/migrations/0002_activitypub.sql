-- activitypub-express's store, on PostgreSQL (see src/federation/apex-store).
-- Documents are kept as jsonb exactly as apex hands them over (JSON-LD
-- compacted, arrays everywhere); jsonb has no restriction on keys, so unlike
-- MongoDB nothing needs escaping. What apex queries by has its own columns.

-- Objects: actors (local ones carry _meta.privateKey in `meta`), notes, tombstones.
CREATE TABLE ap_objects (
  id text PRIMARY KEY,
  type text,
  doc jsonb NOT NULL,
  meta jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ap_objects_local_actors ON ap_objects (type) WHERE meta ? 'privateKey';

-- Activities ("streams"), each in any number of collections (inboxes, outboxes,
-- followers, likes…). `seq` orders them like MongoDB's _id did.
CREATE TABLE ap_activities (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  actor_ids text[] NOT NULL DEFAULT '{}',
  object_ids text[] NOT NULL DEFAULT '{}',
  collections text[] NOT NULL DEFAULT '{}',
  doc jsonb NOT NULL,
  meta jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ap_activities_collections ON ap_activities USING gin (collections);
CREATE INDEX ap_activities_objects ON ap_activities USING gin (object_ids);
CREATE INDEX ap_activities_actors ON ap_activities USING gin (actor_ids);

-- JSON-LD contexts, so they are fetched once (and tests need no network).
CREATE TABLE ap_contexts (
  document_url text PRIMARY KEY,
  context_url text,
  document jsonb NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now()
);

-- The durable delivery queue. A row is claimed with FOR UPDATE SKIP LOCKED,
-- so several Hearth processes can share it; `locked_until` lets a delivery
-- whose process died be taken up again.
CREATE TABLE ap_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address text NOT NULL,
  actor_id text NOT NULL,
  signing_key text NOT NULL,
  body text NOT NULL,
  attempt integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ap_deliveries_due ON ap_deliveries (next_attempt_at, id);
