-- Search (issue 10) over private conversations: only their participants find
-- them (the query checks it). The same configuration as 0027 ('simple'), kept
-- up by a generated column with its GIN index.
ALTER TABLE conversation_messages ADD COLUMN search_body tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', plain_text), 'D')
) STORED;
CREATE INDEX conversation_messages_search ON conversation_messages USING gin (search_body) WITH (fastupdate = off);
