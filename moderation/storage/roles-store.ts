import type { Queryable } from '../../src/storage/database.js';
import type { Moderator } from '../types.js';

export async function joinCircle(q: Queryable, circleId: number, memberId: number, at: Date): Promise<void> {
  await q.query('INSERT INTO circle_members (circle_id, member_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [circleId, memberId, at]);
}

export async function leaveCircle(q: Queryable, circleId: number, memberId: number): Promise<void> {
  await q.query('DELETE FROM circle_members WHERE circle_id = $1 AND member_id = $2', [circleId, memberId]);
}

export async function isCircleMember(q: Queryable, circleId: number, memberId: number): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM circle_members WHERE circle_id = $1 AND member_id = $2', [circleId, memberId]);
  return rows.length > 0;
}

/** Active local members of a circle (for quorums and panels). */
export async function circleMemberIds(q: Queryable, circleId: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT m.id FROM circle_members cm JOIN members m ON m.id = cm.member_id
     WHERE cm.circle_id = $1 AND m.status = 'active' ORDER BY m.id`,
    [circleId],
  );
  return rows.map((r) => r.id);
}

export async function activeMemberIds(q: Queryable): Promise<number[]> {
  const rows = await q.query<{ id: number }>("SELECT id FROM members WHERE status = 'active' ORDER BY id");
  return rows.map((r) => r.id);
}

export async function stewardIds(q: Queryable): Promise<number[]> {
  const rows = await q.query<{ id: number }>("SELECT id FROM members WHERE role = 'steward' AND status = 'active' ORDER BY id");
  return rows.map((r) => r.id);
}

/** Members' handles by id (for naming who acted), ordered by id; ids that are gone are left out. */
export async function memberHandles(q: Queryable, ids: number[]): Promise<Array<{ id: number; handle: string }>> {
  return q.query<{ id: number; handle: string }>('SELECT id, handle FROM members WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
}

/** Members' handles, in the order of the handles themselves (for lists people read). */
export async function handlesInOrder(q: Queryable, ids: number[]): Promise<string[]> {
  const rows = await q.query<{ handle: string }>('SELECT handle FROM members WHERE id = ANY($1::int[]) ORDER BY handle', [ids]);
  return rows.map((r) => r.handle);
}

/** One member's handle; undefined if there is no such member. */
export async function memberHandle(q: Queryable, memberId: number): Promise<string | undefined> {
  const rows = await q.query<{ handle: string }>('SELECT handle FROM members WHERE id = $1', [memberId]);
  return rows[0]?.handle;
}

/** Every circle, by name (stewards look after those nobody moderates). */
export async function allCircles(q: Queryable): Promise<Array<{ id: number; slug: string; name: string }>> {
  return q.query<{ id: number; slug: string; name: string }>('SELECT id, slug, name FROM circles ORDER BY name');
}

/**
 * The circle's moderators at `at`: elected members in their term; and the
 * founder, while the circle is under 30 days old and nobody has been elected.
 */
export async function currentModerators(q: Queryable, circleId: number, at: Date, founderDays: number): Promise<Moderator[]> {
  const rows = await q.query<{ member_id: number; handle: string; display_name: string; founder: boolean; term_id: number | null; until: Date }>(
    `SELECT t.member_id, m.handle, m.display_name, false AS founder, t.id AS term_id, t.ends_at AS until
       FROM moderator_terms t JOIN members m ON m.id = t.member_id
      WHERE t.circle_id = $1 AND t.ended_at IS NULL AND t.starts_at <= $2 AND t.ends_at > $2 AND m.status = 'active'
     UNION ALL
     SELECT c.created_by, m.handle, m.display_name, true, NULL, c.created_at + make_interval(days => $3)
       FROM circles c JOIN members m ON m.id = c.created_by
      WHERE c.id = $1 AND m.status = 'active' AND c.created_at + make_interval(days => $3) > $2
        AND NOT EXISTS (SELECT 1 FROM moderator_terms t WHERE t.circle_id = c.id)
     ORDER BY 4 DESC, 2`,
    [circleId, at, founderDays],
  );
  return rows.map((r) => ({ memberId: r.member_id, handle: r.handle, displayName: r.display_name, founder: r.founder, termId: r.term_id, until: r.until }));
}

/** Circles a member moderates at `at`. */
export async function circlesModeratedBy(q: Queryable, memberId: number, at: Date, founderDays: number): Promise<Array<{ id: number; slug: string; name: string }>> {
  return q.query(
    `SELECT c.id, c.slug, c.name FROM circles c
      WHERE EXISTS (SELECT 1 FROM moderator_terms t WHERE t.circle_id = c.id AND t.member_id = $1 AND t.ended_at IS NULL AND t.starts_at <= $2 AND t.ends_at > $2)
         OR (c.created_by = $1 AND c.created_at + make_interval(days => $3) > $2
             AND NOT EXISTS (SELECT 1 FROM moderator_terms t WHERE t.circle_id = c.id))
      ORDER BY c.name`,
    [memberId, at, founderDays],
  );
}

export async function seatModerator(q: Queryable, t: { circleId: number; memberId: number; startsAt: Date; endsAt: Date; proposalId: number | null }): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO moderator_terms (circle_id, member_id, starts_at, ends_at, proposal_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [t.circleId, t.memberId, t.startsAt, t.endsAt, t.proposalId],
  );
  return rows[0]!.id;
}

export async function endTerm(q: Queryable, termId: number, at: Date, reason: 'stepped_back' | 'recalled'): Promise<boolean> {
  const rows = await q.query('UPDATE moderator_terms SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id', [termId, at, reason]);
  return rows.length > 0;
}

/** The founder's time ends by seating nobody: a zero-length term, ended as stepped back. */
export async function recordFounderSteppedBack(q: Queryable, circleId: number, memberId: number, at: Date): Promise<void> {
  await q.query(
    "INSERT INTO moderator_terms (circle_id, member_id, starts_at, ends_at, ended_at, end_reason) VALUES ($1, $2, $3, $4, $3, 'stepped_back')",
    [circleId, memberId, at, new Date(at.getTime() + 1000)],
  );
}

/** Ends, at `at`, a member's current term in a circle (someone re-elected starts a fresh one). */
export async function endMemberTerm(q: Queryable, circleId: number, memberId: number, at: Date): Promise<void> {
  await q.query('UPDATE moderator_terms SET ends_at = $3 WHERE circle_id = $1 AND member_id = $2 AND ended_at IS NULL AND ends_at > $3', [circleId, memberId, at]);
}

/** Ends current terms in a circle when an election seats new moderators. */
export async function endCurrentTerms(q: Queryable, circleId: number, at: Date): Promise<void> {
  await q.query('UPDATE moderator_terms SET ends_at = $2 WHERE circle_id = $1 AND ended_at IS NULL AND starts_at < $2 AND ends_at > $2', [circleId, at]);
}

export async function findTerm(q: Queryable, termId: number): Promise<{ id: number; circleId: number; memberId: number; endedAt: Date | null; endsAt: Date } | undefined> {
  const rows = await q.query<{ id: number; circle_id: number; member_id: number; ended_at: Date | null; ends_at: Date }>('SELECT * FROM moderator_terms WHERE id = $1', [termId]);
  const r = rows[0];
  return r && { id: r.id, circleId: r.circle_id, memberId: r.member_id, endedAt: r.ended_at, endsAt: r.ends_at };
}

export async function setVolunteer(q: Queryable, memberId: number, role: 'check_in' | 'appeal_panel' | 'welcome', on: boolean): Promise<void> {
  if (on) await q.query('INSERT INTO volunteers (member_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING', [memberId, role]);
  else await q.query('DELETE FROM volunteers WHERE member_id = $1 AND role = $2', [memberId, role]);
}

export async function volunteerRoles(q: Queryable, memberId: number): Promise<Set<string>> {
  const rows = await q.query<{ role: string }>('SELECT role FROM volunteers WHERE member_id = $1', [memberId]);
  return new Set(rows.map((r) => r.role));
}

export async function volunteerIds(q: Queryable, role: 'check_in' | 'appeal_panel' | 'welcome'): Promise<number[]> {
  const rows = await q.query<{ member_id: number }>(
    "SELECT v.member_id FROM volunteers v JOIN members m ON m.id = v.member_id WHERE v.role = $1 AND m.status = 'active' ORDER BY v.member_id",
    [role],
  );
  return rows.map((r) => r.member_id);
}

/** A member's request to join a members-only circle (kept until a moderator decides it). */
export async function addJoinRequest(q: Queryable, circleId: number, memberId: number, at: Date): Promise<void> {
  await q.query('INSERT INTO circle_join_requests (circle_id, member_id, requested_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [circleId, memberId, at]);
}

export async function hasJoinRequest(q: Queryable, circleId: number, memberId: number): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM circle_join_requests WHERE circle_id = $1 AND member_id = $2', [circleId, memberId]);
  return rows.length > 0;
}

export interface JoinRequest {
  id: number;
  memberId: number;
  handle: string;
  requestedAt: Date;
}

export async function listJoinRequests(q: Queryable, circleId: number): Promise<JoinRequest[]> {
  const rows = await q.query<{ id: number; member_id: number; handle: string; requested_at: Date }>(
    `SELECT r.id, r.member_id, m.handle, r.requested_at FROM circle_join_requests r JOIN members m ON m.id = r.member_id
      WHERE r.circle_id = $1 AND m.status = 'active' ORDER BY r.requested_at, r.id`,
    [circleId],
  );
  return rows.map((r) => ({ id: r.id, memberId: r.member_id, handle: r.handle, requestedAt: r.requested_at }));
}

/** Takes a request out (it is being decided); undefined if it was not there. */
export async function takeJoinRequest(q: Queryable, circleId: number, id: number): Promise<{ memberId: number } | undefined> {
  const rows = await q.query<{ member_id: number }>('DELETE FROM circle_join_requests WHERE circle_id = $1 AND id = $2 RETURNING member_id', [circleId, id]);
  return rows[0] && { memberId: rows[0].member_id };
}
