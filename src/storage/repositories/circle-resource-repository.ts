import type { CircleResource, CircleResourceInput } from '../../domain/circle-resources/circle-resource.js';
import type { Queryable } from '../database.js';

interface Row {
  id: number;
  circle_id: number;
  title: string;
  link: string | null;
  description: string;
  position: number;
}

const toResource = (r: Row): CircleResource => ({
  id: r.id,
  circleId: r.circle_id,
  title: r.title,
  link: r.link,
  description: r.description,
  position: r.position,
});

const COLUMNS = 'id, circle_id, title, link, description, position';

export async function listCircleResources(q: Queryable, circleId: number): Promise<CircleResource[]> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM circle_resources WHERE circle_id = $1 ORDER BY position, id`, [circleId]);
  return rows.map(toResource);
}

export async function findCircleResource(q: Queryable, id: number): Promise<CircleResource | undefined> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM circle_resources WHERE id = $1`, [id]);
  return rows[0] && toResource(rows[0]);
}

/** Locks the circle's list, so two people reordering at once take turns. */
export async function lockCircleResources(q: Queryable, circleId: number): Promise<void> {
  await q.query('SELECT id FROM circles WHERE id = $1 FOR UPDATE', [circleId]);
}

export async function countCircleResources(q: Queryable, circleId: number): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM circle_resources WHERE circle_id = $1', [circleId]);
  return rows[0]?.n ?? 0;
}

/** Adds a resource at the end of the circle's list. */
export async function insertCircleResource(q: Queryable, circleId: number, r: CircleResourceInput): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO circle_resources (circle_id, title, link, description, position)
     VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), 0) + 1 FROM circle_resources WHERE circle_id = $1))
     RETURNING id`,
    [circleId, r.title, r.link, r.description],
  );
  return rows[0]!.id;
}

export async function updateCircleResource(q: Queryable, id: number, r: CircleResourceInput): Promise<boolean> {
  const rows = await q.query('UPDATE circle_resources SET title = $2, link = $3, description = $4 WHERE id = $1 RETURNING id', [
    id,
    r.title,
    r.link,
    r.description,
  ]);
  return rows.length === 1;
}

export async function deleteCircleResource(q: Queryable, id: number): Promise<boolean> {
  return (await q.query('DELETE FROM circle_resources WHERE id = $1 RETURNING id', [id])).length === 1;
}

/** Writes the circle's order: positions 1, 2, 3… in the order of `ids`. */
export async function setCircleResourceOrder(q: Queryable, circleId: number, ids: number[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await q.query('UPDATE circle_resources SET position = $3 WHERE id = $1 AND circle_id = $2', [id, circleId, index + 1]);
  }
}
