import type { Queryable } from '../database.js';

export type Claim = { state: 'new' } | { state: 'done'; path: string } | { state: 'pending'; since: Date };

interface SubmissionRow {
  result_path: string | null;
  created_at: Date;
}

/** Claims a form's one-time token for a member; says what an earlier claim of it became. */
export async function claimSubmission(q: Queryable, memberId: number, token: string, at: Date): Promise<Claim> {
  const inserted = await q.query(
    'INSERT INTO form_submissions (member_id, token, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING token',
    [memberId, token, at],
  );
  if (inserted.length > 0) return { state: 'new' };
  const rows = await q.query<SubmissionRow>('SELECT result_path, created_at FROM form_submissions WHERE member_id = $1 AND token = $2', [memberId, token]);
  const row = rows[0];
  if (!row) return { state: 'new' };
  return row.result_path !== null ? { state: 'done', path: row.result_path } : { state: 'pending', since: row.created_at };
}

export async function completeSubmission(q: Queryable, memberId: number, token: string, path: string): Promise<void> {
  await q.query('UPDATE form_submissions SET result_path = $3 WHERE member_id = $1 AND token = $2', [memberId, token, path]);
}

/** A submission that was refused: the same form may be sent again. */
export async function releaseSubmission(q: Queryable, memberId: number, token: string): Promise<void> {
  await q.query('DELETE FROM form_submissions WHERE member_id = $1 AND token = $2 AND result_path IS NULL', [memberId, token]);
}

export async function pruneSubmissions(q: Queryable, before: Date): Promise<number> {
  const rows = await q.query('DELETE FROM form_submissions WHERE created_at < $1 RETURNING token', [before]);
  return rows.length;
}
