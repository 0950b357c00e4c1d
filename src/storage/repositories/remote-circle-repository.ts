import type { Queryable } from '../database.js';

export interface RemoteCircle {
  id: number;
  iri: string;
  host: string;
  handle: string;
  name: string;
  summary: string;
  inbox: string;
  sharedInbox: string | null;
}

interface Row {
  id: number;
  iri: string;
  host: string;
  handle: string;
  name: string;
  summary: string;
  inbox: string;
  shared_inbox: string | null;
}

const toCircle = (r: Row): RemoteCircle => ({
  id: r.id,
  iri: r.iri,
  host: r.host,
  handle: r.handle,
  name: r.name,
  summary: r.summary,
  inbox: r.inbox,
  sharedInbox: r.shared_inbox,
});

export async function upsertRemoteCircle(q: Queryable, c: Omit<RemoteCircle, 'id'>): Promise<RemoteCircle> {
  const rows = await q.query<Row>(
    `INSERT INTO remote_circles (iri, host, handle, name, summary, inbox, shared_inbox) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (iri) DO UPDATE SET handle = EXCLUDED.handle, name = EXCLUDED.name, summary = EXCLUDED.summary,
       inbox = EXCLUDED.inbox, shared_inbox = EXCLUDED.shared_inbox
     RETURNING *`,
    [c.iri, c.host, c.handle, c.name, c.summary, c.inbox, c.sharedInbox],
  );
  return toCircle(rows[0]!);
}

export async function findRemoteCircle(q: Queryable, id: number): Promise<RemoteCircle | undefined> {
  const rows = await q.query<Row>('SELECT * FROM remote_circles WHERE id = $1', [id]);
  return rows[0] && toCircle(rows[0]);
}

/** A remote circle that at least one member here follows (accepted), by its IRI. */
export async function findFollowedRemoteCircle(q: Queryable, iri: string): Promise<RemoteCircle | undefined> {
  const rows = await q.query<Row>(
    `SELECT rc.* FROM remote_circles rc WHERE rc.iri = $1
       AND EXISTS (SELECT 1 FROM remote_circle_follows f WHERE f.remote_circle_id = rc.id AND f.state = 'accepted')`,
    [iri],
  );
  return rows[0] && toCircle(rows[0]);
}

export async function insertFollow(q: Queryable, memberId: number, remoteCircleId: number, followIri: string): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO remote_circle_follows (member_id, remote_circle_id, follow_iri) VALUES ($1, $2, $3)
     ON CONFLICT (member_id, remote_circle_id) DO NOTHING RETURNING member_id`,
    [memberId, remoteCircleId, followIri],
  );
  return rows.length === 1;
}

export async function markFollowAccepted(q: Queryable, followIri: string): Promise<boolean> {
  const rows = await q.query("UPDATE remote_circle_follows SET state = 'accepted' WHERE follow_iri = $1 RETURNING member_id", [followIri]);
  return rows.length === 1;
}

export interface FollowedCircle extends RemoteCircle {
  state: 'pending' | 'accepted';
}

export async function listFollowedBy(q: Queryable, memberId: number): Promise<FollowedCircle[]> {
  const rows = await q.query<Row & { state: 'pending' | 'accepted' }>(
    `SELECT rc.*, f.state FROM remote_circle_follows f JOIN remote_circles rc ON rc.id = f.remote_circle_id
     WHERE f.member_id = $1 ORDER BY rc.name, rc.id`,
    [memberId],
  );
  return rows.map((r) => ({ ...toCircle(r), state: r.state }));
}
