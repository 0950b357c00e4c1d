-- Times are shown in the viewer's time zone. A member's own zone (an IANA
-- name such as Europe/Berlin) is NULL until they choose one: until then they
-- see the instance's zone, which stewards set and visitors see.
ALTER TABLE members ADD COLUMN time_zone text CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
ALTER TABLE instance ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64);
