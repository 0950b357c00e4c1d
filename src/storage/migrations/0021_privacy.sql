-- Private by default (issue 12): other servers may list a member in their
-- directories and suggestions (discoverable), or their posts in full-text
-- search (indexable), only once the member chooses so. Existing members too.
ALTER TABLE members ADD COLUMN discoverable boolean NOT NULL DEFAULT false;
ALTER TABLE members ADD COLUMN indexable boolean NOT NULL DEFAULT false;

-- Members-only circles (issue 13): only the circle's own members see them.
-- Joining one is a request its moderators approve or decline. Members who
-- already posted in one (or joined it) keep belonging to it.
CREATE TABLE circle_join_requests (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  circle_id integer NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  requested_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (circle_id, member_id)
);
INSERT INTO circle_members (circle_id, member_id, joined_at)
  SELECT t.circle_id, p.author_id, min(p.created_at)
  FROM posts p JOIN threads t ON t.id = p.thread_id
  WHERE p.author_id IS NOT NULL AND t.circle_id IS NOT NULL
  GROUP BY t.circle_id, p.author_id
  ON CONFLICT DO NOTHING;

-- Images from other servers, fetched once by Hearth's media proxy and kept a
-- while (bounded by count and size), so readers' browsers never reach
-- other hosts.
CREATE TABLE media_cache (
  url_hash text PRIMARY KEY,
  content_type text NOT NULL,
  body bytea NOT NULL,
  size integer NOT NULL,
  fetched_at timestamptz NOT NULL
);
CREATE INDEX media_cache_by_age ON media_cache (fetched_at);
