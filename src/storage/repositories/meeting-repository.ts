import type { Meeting } from '../../domain/meetings/meeting.js';
import type { Recurrence } from '../../domain/meetings/recurrence.js';
import type { Queryable } from '../database.js';

interface Row {
  id: number;
  circle_id: number;
  title: string;
  description_source: string;
  description_html: string;
  start_date: string;
  start_time: string;
  time_zone: string;
  duration_minutes: number;
  recurrence: Recurrence;
  repeat_until: string | null;
  place: string;
  link: string | null;
  contact: string;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  sequence: number;
  cancelled_at: Date | null;
}

// Dates and times leave the database as text, so no driver reads them in its own zone.
const COLUMNS = `m.id, m.circle_id, m.title, m.description_source, m.description_html,
  to_char(m.start_date, 'YYYY-MM-DD') AS start_date, to_char(m.start_time, 'HH24:MI') AS start_time,
  m.time_zone, m.duration_minutes, m.recurrence, to_char(m.repeat_until, 'YYYY-MM-DD') AS repeat_until,
  m.place, m.link, m.contact, m.created_by, m.created_at, m.updated_at, m.sequence, m.cancelled_at`;

const toMeeting = (r: Row): Meeting => ({
  id: r.id,
  circleId: r.circle_id,
  title: r.title,
  descriptionSource: r.description_source,
  descriptionHtml: r.description_html,
  startDate: r.start_date,
  startTime: r.start_time,
  timeZone: r.time_zone,
  durationMinutes: r.duration_minutes,
  recurrence: r.recurrence,
  repeatUntil: r.repeat_until,
  place: r.place,
  link: r.link,
  contact: r.contact,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  sequence: r.sequence,
  cancelledAt: r.cancelled_at,
});

/** What the service stores: the checked fields and the instants worked out from them. */
export type MeetingRecord = Pick<
  Meeting,
  | 'title'
  | 'descriptionSource'
  | 'descriptionHtml'
  | 'startDate'
  | 'startTime'
  | 'timeZone'
  | 'durationMinutes'
  | 'recurrence'
  | 'repeatUntil'
  | 'place'
  | 'link'
  | 'contact'
> & { firstStartsAt: Date; endsBy: Date | null };

const VALUES = (m: MeetingRecord) => [
  m.title,
  m.descriptionSource,
  m.descriptionHtml,
  m.startDate,
  m.startTime,
  m.timeZone,
  m.durationMinutes,
  m.recurrence,
  m.repeatUntil,
  m.place,
  m.link,
  m.contact,
  m.firstStartsAt,
  m.endsBy,
];

export async function insertMeeting(q: Queryable, circleId: number, createdBy: number, m: MeetingRecord, at: Date): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO circle_meetings (circle_id, created_by, created_at, updated_at, title, description_source, description_html,
       start_date, start_time, time_zone, duration_minutes, recurrence, repeat_until, place, link, contact, first_starts_at, ends_by)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7::date, $8::time, $9, $10, $11, $12::date, $13, $14, $15, $16, $17)
     RETURNING id`,
    [circleId, createdBy, at, ...VALUES(m)],
  );
  return rows[0]!.id;
}

export async function updateMeeting(q: Queryable, id: number, m: MeetingRecord, at: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE circle_meetings SET updated_at = $2, sequence = sequence + 1, title = $3, description_source = $4,
       description_html = $5, start_date = $6::date, start_time = $7::time, time_zone = $8, duration_minutes = $9,
       recurrence = $10, repeat_until = $11::date, place = $12, link = $13, contact = $14, first_starts_at = $15, ends_by = $16
     WHERE id = $1 AND cancelled_at IS NULL RETURNING id`,
    [id, at, ...VALUES(m)],
  );
  return rows.length === 1;
}

export async function cancelMeeting(q: Queryable, id: number, at: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE circle_meetings SET cancelled_at = $2, updated_at = $2, sequence = sequence + 1 WHERE id = $1 AND cancelled_at IS NULL RETURNING id',
    [id, at],
  );
  return rows.length === 1;
}

export async function findMeeting(q: Queryable, id: number): Promise<Meeting | undefined> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM circle_meetings m WHERE m.id = $1`, [id]);
  return rows[0] && toMeeting(rows[0]);
}

/** A circle's meetings that are not cancelled and have not all ended by `since`. */
export async function listCurrentMeetings(q: Queryable, circleId: number, since: Date, limit = 200): Promise<Meeting[]> {
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM circle_meetings m
     WHERE m.circle_id = $1 AND m.cancelled_at IS NULL AND (m.ends_by IS NULL OR m.ends_by > $2)
     ORDER BY m.first_starts_at, m.id LIMIT $3`,
    [circleId, since, limit],
  );
  return rows.map(toMeeting);
}

/** Current meetings of every circle (members-only ones only for their members, `viewerId`), with their circle's id. */
export async function listCurrentMeetingsEverywhere(
  q: Queryable,
  o: { since: Date; viewerId: number | null; limit: number },
): Promise<Meeting[]> {
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM circle_meetings m JOIN circles c ON c.id = m.circle_id
     WHERE m.cancelled_at IS NULL AND (m.ends_by IS NULL OR m.ends_by > $1)
       AND (c.visibility = 'public' OR EXISTS (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.id AND cm.member_id = $2::int))
     ORDER BY m.first_starts_at, m.id LIMIT $3`,
    [o.since, o.viewerId, o.limit],
  );
  return rows.map(toMeeting);
}
