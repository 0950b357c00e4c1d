import type { Circle, CircleSummary, CircleVisibility } from '../../domain/circles/circle.js';
import type { Queryable } from '../database.js';
import { claimHandle } from './handle-repository.js';

interface CircleRow {
  id: number;
  slug: string;
  name: string;
  purpose: string;
  visibility: CircleVisibility;
  created_by: number | null;
  created_at: Date;
  last_activity_at: Date;
}

const COLUMNS = 'c.id, c.slug, c.name, c.purpose, c.visibility, c.created_by, c.created_at, c.last_activity_at';

function toCircle(r: CircleRow): Circle {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    purpose: r.purpose,
    visibility: r.visibility,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
  };
}

export async function insertCircle(
  q: Queryable,
  c: { slug: string; name: string; purpose: string; visibility: CircleVisibility; createdBy: number | null },
): Promise<Circle> {
  await claimHandle(q, c.slug, 'circle', 'slug');
  const rows = await q.query<CircleRow>(
    `INSERT INTO circles AS c (slug, name, purpose, visibility, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [c.slug, c.name, c.purpose, c.visibility, c.createdBy],
  );
  return toCircle(rows[0]!);
}

export async function findCircleBySlug(q: Queryable, slug: string): Promise<Circle | undefined> {
  const rows = await q.query<CircleRow>(`SELECT ${COLUMNS} FROM circles c WHERE c.slug = $1`, [slug]);
  return rows[0] && toCircle(rows[0]);
}

export async function findCircleById(q: Queryable, id: number): Promise<Circle | undefined> {
  const rows = await q.query<CircleRow>(`SELECT ${COLUMNS} FROM circles c WHERE c.id = $1`, [id]);
  return rows[0] && toCircle(rows[0]);
}

/**
 * Circles with their thread counts, most recently active first. Members-only
 * circles are listed for members of the instance (`viewerId`), so they can
 * ask to join; their thread count only for the circle's own members.
 */
export async function listCircles(q: Queryable, viewerId: number | null): Promise<CircleSummary[]> {
  const rows = await q.query<CircleRow & { thread_count: number; belongs: boolean }>(
    `SELECT ${COLUMNS}, b.belongs,
            CASE WHEN c.visibility = 'public' OR b.belongs THEN (SELECT count(*)::int FROM threads t WHERE t.circle_id = c.id) ELSE 0 END AS thread_count
     FROM circles c
     CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.id AND cm.member_id = $1) AS belongs) b
     WHERE $1::int IS NOT NULL OR c.visibility = 'public'
     ORDER BY c.last_activity_at DESC, c.id DESC`,
    [viewerId],
  );
  return rows.map((r) => ({ ...toCircle(r), threadCount: r.thread_count, belongs: r.belongs }));
}

/** Whether a member belongs to a circle (members-only circles: may read it). */
export async function belongsToCircle(q: Queryable, circleId: number, memberId: number): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM circle_members WHERE circle_id = $1 AND member_id = $2', [circleId, memberId]);
  return rows.length > 0;
}

/** Adds a member to a circle (nothing if they belong already). */
export async function addCircleMember(q: Queryable, circleId: number, memberId: number): Promise<void> {
  await q.query('INSERT INTO circle_members (circle_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [circleId, memberId]);
}

export async function touchCircle(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('UPDATE circles SET last_activity_at = GREATEST(last_activity_at, $2) WHERE id = $1', [id, at]);
}
