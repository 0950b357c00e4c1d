import type { Queryable } from '../../src/storage/database.js';

/** The instance's own rules, each changed only by a members' proposal. */
export interface InstanceRules {
  /** The first stewards serve until the first election, or this many days after set-up. */
  firstStewardDays: number;
  stewardTermDays: number;
  /** Join requests are decided by the welcome team's volunteers (and stewards). */
  welcomeTeam: boolean;
  /** Any member can make invite links. */
  memberInvites: boolean;
  /** Stewards may open circles without a proposal. */
  stewardsOpenCircles: boolean;
}

export const INSTANCE_RULE_DEFAULTS: InstanceRules = { firstStewardDays: 90, stewardTermDays: 365, welcomeTeam: false, memberInvites: false, stewardsOpenCircles: true };

export async function findInstanceRules(q: Queryable): Promise<InstanceRules> {
  const rows = await q.query<{ first_steward_days: number; steward_term_days: number; welcome_team: boolean; member_invites: boolean; stewards_open_circles: boolean }>(
    'SELECT * FROM instance_rules WHERE id = 1',
  );
  const r = rows[0];
  if (!r) return { ...INSTANCE_RULE_DEFAULTS };
  return {
    firstStewardDays: r.first_steward_days,
    stewardTermDays: r.steward_term_days,
    welcomeTeam: r.welcome_team,
    memberInvites: r.member_invites,
    stewardsOpenCircles: r.stewards_open_circles,
  };
}

export async function saveInstanceRules(q: Queryable, r: InstanceRules, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO instance_rules (id, first_steward_days, steward_term_days, welcome_team, member_invites, stewards_open_circles, updated_at)
     VALUES (1, $1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET first_steward_days = EXCLUDED.first_steward_days, steward_term_days = EXCLUDED.steward_term_days,
       welcome_team = EXCLUDED.welcome_team, member_invites = EXCLUDED.member_invites, stewards_open_circles = EXCLUDED.stewards_open_circles,
       updated_at = EXCLUDED.updated_at`,
    [r.firstStewardDays, r.stewardTermDays, r.welcomeTeam, r.memberInvites, r.stewardsOpenCircles, at],
  );
}

/** When the instance was set up (the first stewards' time counts from it). */
export async function instanceCreatedAt(q: Queryable): Promise<Date | undefined> {
  const rows = await q.query<{ created_at: Date }>('SELECT created_at FROM instance WHERE id = 1');
  return rows[0]?.created_at;
}

export interface StewardRow {
  memberId: number;
  handle: string;
  displayName: string;
  /** The elected term, or null for a first steward. */
  termId: number | null;
  until: Date | null;
}

/** Active stewards, with their current term if they were elected. */
export async function listStewards(q: Queryable, at: Date): Promise<StewardRow[]> {
  const rows = await q.query<{ id: number; handle: string; display_name: string; term_id: number | null; ends_at: Date | null }>(
    `SELECT m.id, m.handle, m.display_name, t.id AS term_id, t.ends_at
       FROM members m
       LEFT JOIN LATERAL (SELECT id, ends_at FROM steward_terms t WHERE t.member_id = m.id AND t.ended_at IS NULL AND t.ends_at > $1
                          ORDER BY ends_at DESC LIMIT 1) t ON true
      WHERE m.role = 'steward' AND m.status = 'active' ORDER BY m.handle`,
    [at],
  );
  return rows.map((r) => ({ memberId: r.id, handle: r.handle, displayName: r.display_name, termId: r.term_id, until: r.ends_at }));
}

export async function setRole(q: Queryable, memberId: number, role: 'member' | 'steward'): Promise<void> {
  await q.query('UPDATE members SET role = $2 WHERE id = $1', [memberId, role]);
}

export async function seatSteward(q: Queryable, t: { memberId: number; startsAt: Date; endsAt: Date; proposalId: number | null }): Promise<void> {
  // Someone re-elected starts a fresh term.
  await q.query("UPDATE steward_terms SET ended_at = $2, end_reason = 'term_ended' WHERE member_id = $1 AND ended_at IS NULL", [t.memberId, t.startsAt]);
  await q.query('INSERT INTO steward_terms (member_id, starts_at, ends_at, proposal_id) VALUES ($1, $2, $3, $4)', [t.memberId, t.startsAt, t.endsAt, t.proposalId]);
  await setRole(q, t.memberId, 'steward');
}

export async function endStewardTerms(q: Queryable, memberId: number, at: Date, reason: 'recalled' | 'term_ended' | 'stepped_back'): Promise<void> {
  await q.query('UPDATE steward_terms SET ended_at = $2, end_reason = $3 WHERE member_id = $1 AND ended_at IS NULL', [memberId, at, reason]);
}

/** Whether any steward has ever been elected (the first stewards' time ends with the first election). */
export async function anyStewardElected(q: Queryable): Promise<boolean> {
  return (await q.query('SELECT 1 FROM steward_terms LIMIT 1')).length > 0;
}

/** Elected stewards whose term has run out (not yet ended). */
export async function stewardTermsRunOut(q: Queryable, at: Date): Promise<Array<{ id: number; memberId: number; handle: string }>> {
  const rows = await q.query<{ id: number; member_id: number; handle: string }>(
    `SELECT t.id, t.member_id, m.handle FROM steward_terms t JOIN members m ON m.id = t.member_id
      WHERE t.ended_at IS NULL AND t.ends_at <= $1 ORDER BY t.id`,
    [at],
  );
  return rows.map((r) => ({ id: r.id, memberId: r.member_id, handle: r.handle }));
}

export interface ProposalComment {
  id: number;
  handle: string | null;
  displayName: string;
  body: string;
  createdAt: Date;
}

export async function insertComment(q: Queryable, c: { proposalId: number; memberId: number; body: string; at: Date }): Promise<number> {
  const rows = await q.query<{ id: number }>('INSERT INTO proposal_comments (proposal_id, member_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [
    c.proposalId,
    c.memberId,
    c.body,
    c.at,
  ]);
  return rows[0]!.id;
}

export async function listComments(q: Queryable, proposalId: number): Promise<ProposalComment[]> {
  const rows = await q.query<{ id: number; handle: string | null; display_name: string | null; body: string; created_at: Date }>(
    `SELECT c.id, m.handle, m.display_name, c.body, c.created_at FROM proposal_comments c LEFT JOIN members m ON m.id = c.member_id
      WHERE c.proposal_id = $1 ORDER BY c.id`,
    [proposalId],
  );
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name ?? '', body: r.body, createdAt: r.created_at }));
}
