-- Private by default (issue 12): other servers may list a member in their
-- directories and suggestions (discoverable), or their posts in full-text
-- search (indexable), only once the member chooses so. Existing members too.
ALTER TABLE members ADD COLUMN discoverable boolean NOT NULL DEFAULT false;
ALTER TABLE members ADD COLUMN indexable boolean NOT NULL DEFAULT false;
