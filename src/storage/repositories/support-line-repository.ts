import type { SupportLine, SupportLineInput } from '../../domain/support/support-line.js';
import type { Queryable } from '../database.js';

interface Row {
  id: number;
  name: string;
  how_to_reach: string;
  link: string | null;
  hours: string;
  languages: string;
  description: string;
  emergency_services: string;
}

const toLine = (r: Row): SupportLine => ({
  id: r.id,
  name: r.name,
  howToReach: r.how_to_reach,
  link: r.link,
  hours: r.hours,
  languages: r.languages,
  description: r.description,
  emergencyServices: r.emergency_services,
});

export async function listSupportLines(q: Queryable): Promise<SupportLine[]> {
  return (await q.query<Row>('SELECT * FROM support_lines ORDER BY name, id')).map(toLine);
}

export async function findSupportLine(q: Queryable, id: number): Promise<SupportLine | undefined> {
  const rows = await q.query<Row>('SELECT * FROM support_lines WHERE id = $1', [id]);
  return rows[0] && toLine(rows[0]);
}

const VALUES = (l: SupportLineInput) => [l.name, l.howToReach, l.link, l.hours, l.languages, l.description, l.emergencyServices];

export async function insertSupportLine(q: Queryable, l: SupportLineInput): Promise<SupportLine> {
  const rows = await q.query<Row>(
    `INSERT INTO support_lines (name, how_to_reach, link, hours, languages, description, emergency_services)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    VALUES(l),
  );
  return toLine(rows[0]!);
}

export async function updateSupportLine(q: Queryable, id: number, l: SupportLineInput): Promise<boolean> {
  const rows = await q.query(
    `UPDATE support_lines SET name = $2, how_to_reach = $3, link = $4, hours = $5, languages = $6, description = $7,
       emergency_services = $8 WHERE id = $1 RETURNING id`,
    [id, ...VALUES(l)],
  );
  return rows.length === 1;
}

export async function deleteSupportLine(q: Queryable, id: number): Promise<boolean> {
  return (await q.query('DELETE FROM support_lines WHERE id = $1 RETURNING id', [id])).length === 1;
}
