-- Why a post waits for a moderator, in words its author is shown
-- (which of the circle's rules held it). Null for posts that were not held.
ALTER TABLE posts ADD COLUMN held_reason text;
