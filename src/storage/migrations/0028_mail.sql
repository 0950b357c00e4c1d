-- E-mail, when the group wants it (issue 10, item 8). Used only when the
-- stewards configured SMTP (SMTP_URL, MAIL_FROM); without it these tables stay empty.

-- A member's mail: the address is members.email; it is verified when
-- verified_address equals it (changing the address unverifies it).
CREATE TABLE mail_settings (
  member_id integer PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  verified_address text,
  verified_at timestamptz,
  -- the one-time verification link (SHA-256 of its token) and the address it is for
  verify_token_hash text,
  verify_address text,
  verify_expires_at timestamptz,
  -- posts' text from members-only circles and conversations goes into mail only when the member says so
  include_private_text boolean NOT NULL DEFAULT false,
  -- mail to the address was given up after several tries: nothing more is sent until the member starts it again
  stopped_at timestamptz,
  stopped_error text
);

-- What a member wants by mail, per notification kind: no row means none.
CREATE TABLE mail_choices (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  kind text NOT NULL,
  cadence text NOT NULL CHECK (cadence IN ('now', 'daily', 'weekly')),
  chosen_at timestamptz NOT NULL,
  -- only notifications written after the choice are mailed (not what was there before)
  after_notification_id bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (member_id, kind)
);

-- The durable mail job: one row per message to send (a notification right
-- away, or a digest), claimed with a lease, retried with backoff, given up visibly.
CREATE TABLE mail_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  cadence text NOT NULL CHECK (cadence IN ('now', 'daily', 'weekly')),
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  sent_at timestamptz,
  given_up_at timestamptz,
  last_error text
);
CREATE INDEX mail_deliveries_due ON mail_deliveries (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
CREATE INDEX mail_deliveries_by_member ON mail_deliveries (member_id);

-- Which notifications went into which delivery: each notification is mailed at most once.
CREATE TABLE mail_delivery_notifications (
  notification_id bigint PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
  delivery_id bigint NOT NULL REFERENCES mail_deliveries (id) ON DELETE CASCADE
);
CREATE INDEX mail_delivery_notifications_by_delivery ON mail_delivery_notifications (delivery_id);
