-- Posts have a language (issue 13): a BCP-47 primary tag ('en', 'de', 'es',
-- 'fr', …), lower case; NULL when it is not known. Members' posts take their
-- author's language unless they choose another for the post; posts from other
-- servers take what their Note says (contentMap's key), else NULL.
--
-- Existing posts are left NULL: the language someone reads Hearth in
-- (members.language, migration 0035, itself new) says little about the
-- language of what they wrote before, and a wrong guess would stem their
-- words in the wrong language. NULL posts are searched as before ('simple').
ALTER TABLE posts ADD COLUMN language text CHECK (language IS NULL OR language ~ '^[a-z]{2,3}$');

-- Search per language: a post's vector is made with the text search
-- configuration of its language (stemming and stop words: "Stimmen" finds
-- "Stimme"), 'simple' for languages without one and for NULL. The list must
-- match SEARCH_CONFIGS in src/storage/repositories/search-repository.ts
-- (a test checks); the queries parse the words once per configuration and
-- match each post in its own. The expression of the text is that of 0027.
DROP INDEX posts_search_body;
ALTER TABLE posts DROP COLUMN search_body;
ALTER TABLE posts ADD COLUMN search_body tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(
    CASE language
      WHEN 'en' THEN 'english'::regconfig
      WHEN 'de' THEN 'german'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig
      WHEN 'fr' THEN 'french'::regconfig
      WHEN 'it' THEN 'italian'::regconfig
      WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig
      ELSE 'simple'::regconfig
    END,
    replace(replace(replace(replace(replace(replace(
      regexp_replace(html, '<[^>]*>', ' ', 'g'),
      '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&')
  ), 'D')
) STORED;
CREATE INDEX posts_search_body ON posts USING gin (search_body) WITH (fastupdate = off);
