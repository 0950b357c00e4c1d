import type { Queryable } from '../../src/storage/database.js';
import type { AppealDecision, AppealRoute } from '../rules/appeal-rules.js';
import type { Appeal } from '../types.js';

export async function insertAppeal(
  q: Queryable,
  a: { actionId: number; memberId: number; statement: string; route: AppealRoute; deciders: number[]; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO appeals (action_id, member_id, statement, route, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (action_id) DO NOTHING RETURNING id',
    [a.actionId, a.memberId, a.statement, a.route, a.at],
  );
  if (!rows[0]) return 0;
  for (const d of a.deciders) await q.query('INSERT INTO appeal_deciders (appeal_id, member_id) VALUES ($1, $2)', [rows[0].id, d]);
  return rows[0].id;
}

async function withDeciders(q: Queryable, rows: Array<Record<string, unknown>>): Promise<Appeal[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id as number);
  const deciders = await q.query<{ appeal_id: number; member_id: number; decision: AppealDecision | null }>(
    'SELECT appeal_id, member_id, decision FROM appeal_deciders WHERE appeal_id = ANY($1::int[]) ORDER BY member_id',
    [ids],
  );
  return rows.map((r) => ({
    id: r.id as number,
    actionId: r.action_id as number,
    memberId: r.member_id as number | null,
    statement: r.statement as string,
    route: r.route as AppealRoute,
    status: r.status as Appeal['status'],
    createdAt: r.created_at as Date,
    decidedAt: r.decided_at as Date | null,
    deciders: deciders.filter((d) => d.appeal_id === r.id).map((d) => ({ memberId: d.member_id, decision: d.decision })),
  }));
}

export async function findAppeal(q: Queryable, id: number, forUpdate = false): Promise<Appeal | undefined> {
  const rows = await q.query(`SELECT * FROM appeals WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return (await withDeciders(q, rows))[0];
}

export async function findAppealForAction(q: Queryable, actionId: number): Promise<Appeal | undefined> {
  const rows = await q.query('SELECT * FROM appeals WHERE action_id = $1', [actionId]);
  return (await withDeciders(q, rows))[0];
}

/** Open appeals a member is asked to decide. */
export async function appealsToDecide(q: Queryable, memberId: number): Promise<Appeal[]> {
  const rows = await q.query(
    `SELECT a.* FROM appeals a JOIN appeal_deciders d ON d.appeal_id = a.id
      WHERE d.member_id = $1 AND a.status = 'open' ORDER BY a.created_at`,
    [memberId],
  );
  return withDeciders(q, rows);
}

export async function recordDecision(q: Queryable, appealId: number, memberId: number, decision: AppealDecision, reason: string, at: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE appeal_deciders SET decision = $3, reason = $4, decided_at = $5 WHERE appeal_id = $1 AND member_id = $2 AND decision IS NULL RETURNING appeal_id',
    [appealId, memberId, decision, reason, at],
  );
  return rows.length > 0;
}

export async function settleAppeal(q: Queryable, appealId: number, status: 'upheld' | 'overturned', at: Date): Promise<void> {
  await q.query('UPDATE appeals SET status = $2, decided_at = $3 WHERE id = $1', [appealId, status, at]);
}
