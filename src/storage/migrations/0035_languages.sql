-- Languages (issue 13): the language a member reads Hearth in (NULL: their
-- browser's, else the instance's), and the instance's own language, chosen by
-- its stewards, for visitors whose browsers ask for none Hearth speaks.
ALTER TABLE members ADD COLUMN language text CHECK (language IS NULL OR language ~ '^[a-z]{2,3}$');
ALTER TABLE instance ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2,3}$');
