-- Signing keys of Hearth's own ActivityPub actors: circles ('c:slug'),
-- members ('u:handle') and the instance actor ('instance'). Kept after an
-- account is deleted, so that its Delete can still be signed.
CREATE TABLE actor_keys (
  owner text PRIMARY KEY CHECK (owner = 'instance' OR owner ~ '^[cu]:[a-z][a-z0-9_]{1,29}$'),
  public_key_pem text NOT NULL,
  private_key_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
