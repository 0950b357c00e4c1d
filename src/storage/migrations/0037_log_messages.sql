-- Languages (issue 13): a public-log entry written by moderation keeps what it
-- says as a message (catalogue key and values, JSON) besides its English
-- summary, so each reader sees it in their own language. Entries without one
-- (older ones, or written elsewhere) show their summary as it was written.
ALTER TABLE moderation_log ADD COLUMN summary_message jsonb;
