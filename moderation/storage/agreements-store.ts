import type { Queryable } from '../../src/storage/database.js';
import { DEFAULT_POLICY, type CirclePolicy } from '../policies/defaults.js';
import type { AgreementVersion } from '../types.js';

function toVersion(r: { circle_id: number | null; version: number; items: string[]; proposal_id: number | null; created_at: Date }): AgreementVersion {
  return { circleId: r.circle_id, version: r.version, items: r.items, proposalId: r.proposal_id, createdAt: r.created_at };
}

export async function listAgreementVersions(q: Queryable, circleId: number | null): Promise<AgreementVersion[]> {
  const rows = await q.query<{ circle_id: number | null; version: number; items: string[]; proposal_id: number | null; created_at: Date }>(
    'SELECT circle_id, version, items, proposal_id, created_at FROM agreements WHERE circle_id IS NOT DISTINCT FROM $1 ORDER BY version DESC',
    [circleId],
  );
  return rows.map(toVersion);
}

export async function insertAgreementVersion(q: Queryable, v: { circleId: number | null; items: string[]; proposalId: number | null; at: Date }): Promise<number> {
  // Serialise versions of one scope: the next number is computed under a lock.
  await q.query('SELECT pg_advisory_xact_lock(7411, coalesce($1::int, 0))', [v.circleId]);
  const rows = await q.query<{ version: number }>(
    `INSERT INTO agreements (circle_id, version, items, proposal_id, created_at)
     SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3, $4 FROM agreements WHERE circle_id IS NOT DISTINCT FROM $1
     RETURNING version`,
    [v.circleId, JSON.stringify(v.items), v.proposalId, v.at],
  );
  return rows[0]!.version;
}

export async function findPolicy(q: Queryable, circleId: number): Promise<CirclePolicy> {
  const rows = await q.query<{
    confirm_hours: number; term_days: number; quorum_percent: number; quorum_fallback: CirclePolicy['quorumFallback'];
    first_posts_held: boolean; content_warning_required: boolean; keyword_filters: string[];
  }>('SELECT * FROM circle_policies WHERE circle_id = $1', [circleId]);
  const r = rows[0];
  if (!r) return { ...DEFAULT_POLICY, keywordFilters: [] };
  return {
    confirmHours: r.confirm_hours,
    termDays: r.term_days,
    quorumPercent: r.quorum_percent,
    quorumFallback: r.quorum_fallback,
    firstPostsHeld: r.first_posts_held,
    contentWarningRequired: r.content_warning_required,
    keywordFilters: r.keyword_filters,
  };
}

export async function savePolicy(q: Queryable, circleId: number, p: CirclePolicy, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO circle_policies (circle_id, confirm_hours, term_days, quorum_percent, quorum_fallback, first_posts_held, content_warning_required, keyword_filters, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (circle_id) DO UPDATE SET confirm_hours = EXCLUDED.confirm_hours, term_days = EXCLUDED.term_days,
       quorum_percent = EXCLUDED.quorum_percent, quorum_fallback = EXCLUDED.quorum_fallback, first_posts_held = EXCLUDED.first_posts_held,
       content_warning_required = EXCLUDED.content_warning_required, keyword_filters = EXCLUDED.keyword_filters, updated_at = EXCLUDED.updated_at`,
    [circleId, p.confirmHours, p.termDays, p.quorumPercent, p.quorumFallback, p.firstPostsHeld, p.contentWarningRequired, p.keywordFilters, at],
  );
}
