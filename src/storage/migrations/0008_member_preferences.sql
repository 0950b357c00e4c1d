-- What each member chooses to see: content warnings folded or open, and
-- words whose posts fold away.
ALTER TABLE members ADD COLUMN cw_display text NOT NULL DEFAULT 'folded' CHECK (cw_display IN ('folded', 'unfolded'));
ALTER TABLE members ADD COLUMN muted_words text[] NOT NULL DEFAULT '{}';
