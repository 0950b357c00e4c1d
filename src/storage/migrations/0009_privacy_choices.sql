-- Members choose whether their profile is listed (found by visitors and other
-- servers) and whether their posts in public circles go to other servers.
ALTER TABLE members ADD COLUMN profile_listed boolean NOT NULL DEFAULT true;
ALTER TABLE members ADD COLUMN federate_posts boolean NOT NULL DEFAULT true;
