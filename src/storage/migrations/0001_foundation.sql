-- Hearth's foundation: the instance, members, circles, threads and posts,
-- sessions and invites. Federation, moderation and peer-support features add
-- their own numbered migrations after this one.

CREATE TABLE instance (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  registration_mode text NOT NULL DEFAULT 'open'
    CHECK (registration_mode IN ('open', 'approval', 'invite')),
  federation_mode text NOT NULL DEFAULT 'open'
    CHECK (federation_mode IN ('open', 'allowlist', 'off')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Secrets Hearth makes for itself (e.g. the session secret when none is
-- configured), kept so that a restart does not log everybody out.
CREATE TABLE instance_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Members and circles share one namespace of handles, because both are
-- ActivityPub actors found through WebFinger as @name@host.
CREATE TABLE handles (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{1,29}$'),
  kind text NOT NULL CHECK (kind IN ('member', 'circle'))
);

CREATE TABLE members (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  handle text NOT NULL UNIQUE REFERENCES handles (name),
  display_name text NOT NULL DEFAULT '',
  email text,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'steward')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'suspended')),
  pronouns text NOT NULL DEFAULT '',
  bio text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invites (
  code text PRIMARY KEY,
  created_by integer REFERENCES members (id) ON DELETE SET NULL,
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_by integer REFERENCES members (id) ON DELETE SET NULL,
  used_at timestamptz
);

CREATE TABLE circles (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE REFERENCES handles (name),
  name text NOT NULL,
  purpose text NOT NULL DEFAULT '',
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
  created_by integer REFERENCES members (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_activity_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE threads (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
  title text NOT NULL,
  author_id integer REFERENCES members (id) ON DELETE SET NULL,
  reply_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_activity_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX threads_by_circle_activity ON threads (circle_id, last_activity_at DESC, id DESC);

CREATE TABLE posts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id integer NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  author_id integer REFERENCES members (id) ON DELETE SET NULL,
  is_opening boolean NOT NULL DEFAULT false,
  source text NOT NULL,
  html text NOT NULL,
  content_warning text,
  state text NOT NULL DEFAULT 'visible'
    CHECK (state IN ('visible', 'held', 'hidden', 'removed', 'deleted')),
  created_at timestamptz NOT NULL DEFAULT now(),
  edited_at timestamptz,
  deleted_at timestamptz
);
CREATE INDEX posts_by_thread ON posts (thread_id, created_at, id);
CREATE UNIQUE INDEX one_opening_post_per_thread ON posts (thread_id) WHERE is_opening;
CREATE INDEX posts_by_author ON posts (author_id, created_at DESC);

-- The earlier versions of a post, one row per edit.
CREATE TABLE post_revisions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  title text,
  source text NOT NULL,
  content_warning text,
  written_at timestamptz NOT NULL,
  replaced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_revisions_by_post ON post_revisions (post_id, id);

CREATE TABLE sessions (
  sid text PRIMARY KEY,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
