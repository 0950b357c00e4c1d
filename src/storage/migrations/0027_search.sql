-- Search (issue 10): PostgreSQL full-text search over thread titles and posts.
--
-- Both vectors are generated columns, so they keep up with every insert and
-- edit by themselves (no trigger, the same on PGlite and PostgreSQL), each
-- with a GIN index. The text search configuration is 'simple' (no stemming,
-- no stop words: right for any language a group writes in); it must match
-- SEARCH_CONFIG in src/storage/repositories/search-repository.ts, which a test
-- checks. Titles carry weight A and posts weight D, so a title match ranks
-- above a match in a post's body.
--
-- The indexes are written at once on every insert (fastupdate off): a forum
-- writes little and reads much, and a pending list (read by every search
-- until a vacuum merges it) would make searches slower the more was written.
--
-- A generated column cannot read another one, so a post's vector repeats the
-- expression of posts.plain_text (migration 0019): its HTML with tags as
-- spaces and the sanitiser's entities decoded.
ALTER TABLE threads ADD COLUMN search_title tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', title), 'A')
) STORED;
CREATE INDEX threads_search_title ON threads USING gin (search_title) WITH (fastupdate = off);

ALTER TABLE posts ADD COLUMN search_body tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple',
    replace(replace(replace(replace(replace(replace(
      regexp_replace(html, '<[^>]*>', ' ', 'g'),
      '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&')
  ), 'D')
) STORED;
CREATE INDEX posts_search_body ON posts USING gin (search_body) WITH (fastupdate = off);
