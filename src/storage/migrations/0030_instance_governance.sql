-- Power over the instance stays with members (issue 12, items 1–5):
-- stewards elected for terms, instance rules changed by proposal, new
-- proposal kinds, a discussion attached to every proposal, a welcome team.

ALTER TABLE proposals DROP CONSTRAINT proposals_kind_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_kind_check CHECK (kind IN (
  'election', 'recall', 'agreements', 'instance_block', 'action',
  'agreement_change', 'new_circle', 'instance_setting', 'circle_rules'));

-- Elected stewards and their terms. A steward without a row is a first
-- steward (set up the instance, or made from the command line for recovery).
CREATE TABLE steward_terms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text CHECK (end_reason IN ('stepped_back', 'recalled', 'term_ended')),
  proposal_id integer REFERENCES proposals (id) ON DELETE SET NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX steward_terms_by_member ON steward_terms (member_id, ends_at);

-- The instance’s own rules, each changed only by a members’ proposal (no row:
-- the defaults below; the first change inserts it, so an empty database stays empty).
CREATE TABLE instance_rules (
  id integer PRIMARY KEY CHECK (id = 1),
  -- the first stewards serve until the first election, or this many days after set-up
  first_steward_days integer NOT NULL DEFAULT 90 CHECK (first_steward_days BETWEEN 7 AND 730),
  steward_term_days integer NOT NULL DEFAULT 365 CHECK (steward_term_days BETWEEN 30 AND 730),
  -- join requests are decided by volunteers of the welcome team (and stewards)
  welcome_team boolean NOT NULL DEFAULT false,
  -- any member can make invite links
  member_invites boolean NOT NULL DEFAULT false,
  -- stewards may open circles without a proposal
  stewards_open_circles boolean NOT NULL DEFAULT true,
  updated_at timestamptz
);

ALTER TABLE volunteers DROP CONSTRAINT volunteers_role_check;
ALTER TABLE volunteers ADD CONSTRAINT volunteers_role_check CHECK (role IN ('check_in', 'appeal_panel', 'welcome'));

-- Every proposal's discussion, on its own page.
CREATE TABLE proposal_comments (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  proposal_id integer NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  member_id integer REFERENCES members (id) ON DELETE SET NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL
);
CREATE INDEX proposal_comments_by_proposal ON proposal_comments (proposal_id, id);
