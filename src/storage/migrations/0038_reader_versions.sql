-- Members' own pages kept briefly (src/web/member-pages.ts): a number per
-- member that moves whenever something only that member sees may have
-- changed, whichever process or worker made the change. A kept page is sent
-- again only while its reader's number is the one it was rendered with.
-- What others see alike (a thread's posts, a circle's threads) is followed
-- by the page cache's change notices instead.
--
-- No foreign key: a member's rows are deleted with them, and these triggers
-- then run for a member who is already gone (an orphan number is harmless).
CREATE TABLE reader_versions (
  member_id integer PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);

-- Whose a session is, as its own column: the stamp read on every member's
-- page (PostgresSessionStore.readerStamp) is then two index lookups.
ALTER TABLE sessions ADD COLUMN member_id integer GENERATED ALWAYS AS (
  CASE WHEN jsonb_typeof(data #> '{passport,user}') = 'number' THEN (data #>> '{passport,user}')::integer END
) STORED;

-- Each trigger names the columns that hold the members a row concerns.
CREATE FUNCTION bump_reader_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text;
  ids integer[] := '{}';
BEGIN
  FOREACH col IN ARRAY TG_ARGV LOOP
    IF TG_OP <> 'INSERT' THEN ids := ids || (to_jsonb(OLD) ->> col)::integer; END IF;
    IF TG_OP <> 'DELETE' THEN ids := ids || (to_jsonb(NEW) ->> col)::integer; END IF;
  END LOOP;
  INSERT INTO reader_versions AS v (member_id, version)
    SELECT DISTINCT id, 1 FROM unnest(ids) AS id WHERE id IS NOT NULL
  ON CONFLICT (member_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END;
$$;

-- The member's own row: name, avatar, language, zone, muted words, role, status.
CREATE TRIGGER members_reader_version AFTER UPDATE ON members
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('id');
CREATE TRIGGER member_avatars_reader_version AFTER INSERT OR UPDATE OR DELETE ON member_avatars
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER account_deletions_reader_version AFTER INSERT OR UPDATE OR DELETE ON account_deletions
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
-- The count of unread notifications in the navigation.
CREATE TRIGGER notifications_reader_version AFTER INSERT OR UPDATE OR DELETE ON notifications
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
-- Blocks change what both members see of each other.
CREATE TRIGGER member_blocks_reader_version AFTER INSERT OR UPDATE OR DELETE ON member_blocks
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('blocker_id', 'blocked_id');
-- Belonging, asking to join, restrictions and moderating: what the member may do in a circle.
CREATE TRIGGER circle_members_reader_version AFTER INSERT OR UPDATE OR DELETE ON circle_members
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER circle_join_requests_reader_version AFTER INSERT OR UPDATE OR DELETE ON circle_join_requests
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER member_restrictions_reader_version AFTER INSERT OR UPDATE OR DELETE ON member_restrictions
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER moderator_terms_reader_version AFTER INSERT OR UPDATE OR DELETE ON moderator_terms
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
-- Watching, reading and going to meetings.
CREATE TRIGGER circle_watches_reader_version AFTER INSERT OR UPDATE OR DELETE ON circle_watches
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER thread_watches_reader_version AFTER INSERT OR UPDATE OR DELETE ON thread_watches
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER thread_reads_reader_version AFTER INSERT OR UPDATE OR DELETE ON thread_reads
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
CREATE TRIGGER meeting_attendance_reader_version AFTER INSERT OR UPDATE OR DELETE ON meeting_attendance
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
-- The member's own posts and reactions: seen at once on their next page,
-- even when another process serves it before it hears of the change.
CREATE TRIGGER posts_reader_version AFTER INSERT OR UPDATE OR DELETE ON posts
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('author_id');
CREATE TRIGGER reactions_reader_version AFTER INSERT OR UPDATE OR DELETE ON reactions
  FOR EACH ROW EXECUTE FUNCTION bump_reader_versions('member_id');
