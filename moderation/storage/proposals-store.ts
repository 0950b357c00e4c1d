import type { Queryable } from '../../src/storage/database.js';
import type { Ballot } from '../rules/proposal-rules.js';
import type { Nomination, Proposal, ProposalPayload } from '../types.js';
import { toProposal } from './rows.js';

export interface NewProposal {
  circleId: number | null;
  kind: Proposal['kind'];
  title: string;
  body: string;
  mode: Proposal['mode'];
  payload: ProposalPayload;
  status: 'nominating' | 'open';
  quorum: number;
  eligible: number;
  quorumFallback: Proposal['quorumFallback'];
  createdBy: number | null;
  createdAt: Date;
  votingOpensAt: Date;
  deadline: Date;
}

export async function insertProposal(q: Queryable, p: NewProposal): Promise<Proposal> {
  const rows = await q.query(
    `INSERT INTO proposals (circle_id, kind, title, body, mode, payload, status, quorum, eligible, quorum_fallback, created_by, created_at, voting_opens_at, deadline)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
    [p.circleId, p.kind, p.title, p.body, p.mode, JSON.stringify(p.payload), p.status, p.quorum, p.eligible, p.quorumFallback, p.createdBy, p.createdAt, p.votingOpensAt, p.deadline],
  );
  return toProposal(rows[0]!);
}

export async function findProposal(q: Queryable, id: number, forUpdate = false): Promise<Proposal | undefined> {
  const rows = await q.query(`SELECT * FROM proposals WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toProposal(rows[0]) : undefined;
}

export async function listProposals(q: Queryable, circleId: number | null, limit: number): Promise<Proposal[]> {
  const rows = await q.query(
    `SELECT * FROM proposals WHERE circle_id IS NOT DISTINCT FROM $1
      ORDER BY (status IN ('nominating', 'open')) DESC, deadline DESC, id DESC LIMIT $2`,
    [circleId, limit],
  );
  return rows.map(toProposal);
}

export async function openProposalsOfKind(q: Queryable, circleId: number | null, kind: Proposal['kind']): Promise<Proposal[]> {
  const rows = await q.query(
    "SELECT * FROM proposals WHERE circle_id IS NOT DISTINCT FROM $1 AND kind = $2 AND status IN ('nominating', 'open')",
    [circleId, kind],
  );
  return rows.map(toProposal);
}

export async function listDueProposals(q: Queryable, at: Date): Promise<Proposal[]> {
  const rows = await q.query(
    "SELECT * FROM proposals WHERE (status = 'nominating' AND voting_opens_at <= $1) OR (status = 'open' AND deadline <= $1) ORDER BY id LIMIT 100",
    [at],
  );
  return rows.map(toProposal);
}

export async function updateProposal(
  q: Queryable,
  id: number,
  c: { status: Proposal['status']; deadline?: Date; extended?: boolean; decidedAt?: Date | null; outcome?: unknown; eligible?: number; quorum?: number },
): Promise<void> {
  await q.query(
    `UPDATE proposals SET status = $2, deadline = coalesce($3, deadline), extended = coalesce($4, extended),
       decided_at = coalesce($5, decided_at), outcome = coalesce($6::jsonb, outcome),
       eligible = coalesce($7, eligible), quorum = coalesce($8, quorum) WHERE id = $1`,
    [id, c.status, c.deadline ?? null, c.extended ?? null, c.decidedAt ?? null, c.outcome === undefined ? null : JSON.stringify(c.outcome), c.eligible ?? null, c.quorum ?? null],
  );
}

export async function castVote(q: Queryable, proposalId: number, memberId: number, ballot: Ballot, at: Date): Promise<'new' | 'changed'> {
  const rows = await q.query<{ inserted: boolean }>(
    `INSERT INTO votes (proposal_id, member_id, choice, reason, cast_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (proposal_id, member_id) DO UPDATE SET choice = EXCLUDED.choice, reason = EXCLUDED.reason, cast_at = EXCLUDED.cast_at
     RETURNING (xmax = 0) AS inserted`,
    [proposalId, memberId, ballot.choice, ballot.reason, at],
  );
  return rows[0]!.inserted ? 'new' : 'changed';
}

export async function findVote(q: Queryable, proposalId: number, memberId: number): Promise<Ballot | undefined> {
  const rows = await q.query<{ choice: string; reason: string }>('SELECT choice, reason FROM votes WHERE proposal_id = $1 AND member_id = $2', [proposalId, memberId]);
  return rows[0];
}

export async function listBallots(q: Queryable, proposalId: number): Promise<Ballot[]> {
  return q.query<Ballot>('SELECT choice, reason FROM votes WHERE proposal_id = $1', [proposalId]);
}

/** Objections' reasons in consent decisions are shown (without names), so the circle can work with them. */
export async function objectionReasons(q: Queryable, proposalId: number): Promise<string[]> {
  const rows = await q.query<{ reason: string }>("SELECT reason FROM votes WHERE proposal_id = $1 AND choice = 'object' ORDER BY cast_at", [proposalId]);
  return rows.map((r) => r.reason);
}

export async function votesBy(q: Queryable, memberId: number): Promise<Array<{ proposalId: number; title: string; choice: string; reason: string; castAt: Date }>> {
  const rows = await q.query<{ proposal_id: number; title: string; choice: string; reason: string; cast_at: Date }>(
    'SELECT v.proposal_id, p.title, v.choice, v.reason, v.cast_at FROM votes v JOIN proposals p ON p.id = v.proposal_id WHERE v.member_id = $1 ORDER BY v.cast_at',
    [memberId],
  );
  return rows.map((r) => ({ proposalId: r.proposal_id, title: r.title, choice: r.choice, reason: r.reason, castAt: r.cast_at }));
}

export async function nominate(q: Queryable, proposalId: number, memberId: number, by: number, accepted: boolean, at: Date): Promise<boolean> {
  const rows = await q.query(
    'INSERT INTO nominations (proposal_id, member_id, nominated_by, accepted, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING member_id',
    [proposalId, memberId, by, accepted, at],
  );
  return rows.length > 0;
}

export async function acceptNomination(q: Queryable, proposalId: number, memberId: number, accepted: boolean): Promise<boolean> {
  const rows = await q.query('UPDATE nominations SET accepted = $3 WHERE proposal_id = $1 AND member_id = $2 RETURNING member_id', [proposalId, memberId, accepted]);
  return rows.length > 0;
}

export async function listNominations(q: Queryable, proposalId: number): Promise<Nomination[]> {
  const rows = await q.query<{ member_id: number; handle: string; display_name: string; accepted: boolean }>(
    `SELECT n.member_id, m.handle, m.display_name, n.accepted FROM nominations n JOIN members m ON m.id = n.member_id
      WHERE n.proposal_id = $1 ORDER BY n.created_at, n.member_id`,
    [proposalId],
  );
  return rows.map((r) => ({ memberId: r.member_id, handle: r.handle, displayName: r.display_name, accepted: r.accepted }));
}
