import type { CheckInChoice, CheckInMessage, CheckInRequest, CheckInRequestStatus } from '../../domain/check-ins/check-in.js';
import type { Queryable } from '../database.js';

type RequestRow = {
  id: number;
  asked_by: number | null;
  member_id: number;
  member_handle: string;
  circle_id: number | null;
  post_id: number | null;
  note: string;
  status: CheckInRequestStatus;
  taken_by: number | null;
  created_at: Date;
  closed_at: Date | null;
};

const REQUEST_COLUMNS = `r.id, r.asked_by, r.member_id, m.handle AS member_handle, r.circle_id, r.post_id, r.note, r.status, r.taken_by, r.created_at, r.closed_at`;

function toRequest(r: RequestRow): CheckInRequest {
  return {
    id: r.id,
    askedBy: r.asked_by,
    memberId: r.member_id,
    memberHandle: r.member_handle,
    forSelf: r.asked_by === r.member_id,
    circleId: r.circle_id,
    postId: r.post_id,
    note: r.note,
    status: r.status,
    takenBy: r.taken_by,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}

export async function insertRequest(
  q: Queryable,
  r: { askedBy: number; memberId: number; circleId: number | null; postId: number | null; note: string; status: CheckInRequestStatus; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO check_in_requests (asked_by, member_id, circle_id, post_id, note, status, created_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $6 = 'open' THEN NULL ELSE $7::timestamptz END) RETURNING id`,
    [r.askedBy, r.memberId, r.circleId, r.postId, r.note, r.status, r.at],
  );
  return rows[0]!.id;
}

export async function findRequest(q: Queryable, id: number, forUpdate = false): Promise<CheckInRequest | undefined> {
  const rows = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM check_in_requests r JOIN members m ON m.id = r.member_id WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

/** Requests still waiting for a peer, oldest first. */
export async function listOpenRequests(q: Queryable): Promise<CheckInRequest[]> {
  const rows = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM check_in_requests r JOIN members m ON m.id = r.member_id
      WHERE r.status IN ('open', 'taken') AND m.status = 'active' ORDER BY r.created_at, r.id`,
  );
  return rows.map(toRequest);
}

export async function listRequestsBy(q: Queryable, askerId: number, limit: number): Promise<CheckInRequest[]> {
  const rows = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM check_in_requests r JOIN members m ON m.id = r.member_id WHERE r.asked_by = $1 ORDER BY r.id DESC LIMIT $2`,
    [askerId, limit],
  );
  return rows.map(toRequest);
}

export async function closeRequest(q: Queryable, id: number, status: 'sent' | 'declined', by: number | null, at: Date): Promise<void> {
  await q.query('UPDATE check_in_requests SET status = $2, taken_by = $3, closed_at = $4 WHERE id = $1', [id, status, by, at]);
}

export async function countRecentRequestsBy(q: Queryable, askerId: number, since: Date): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM check_in_requests WHERE asked_by = $1 AND created_at > $2', [askerId, since]);
  return rows[0]!.n;
}

// ---- choices: who may check in on a member ----------------------------------

export async function findChoice(q: Queryable, memberId: number): Promise<{ choice: CheckInChoice; peerIds: number[]; peerHandles: string[] }> {
  const rows = await q.query<{ choice: CheckInChoice }>('SELECT choice FROM check_in_choices WHERE member_id = $1', [memberId]);
  const peers = await q.query<{ id: number; handle: string }>(
    'SELECT m.id, m.handle FROM check_in_chosen_peers p JOIN members m ON m.id = p.peer_id WHERE p.member_id = $1 ORDER BY m.handle',
    [memberId],
  );
  return { choice: rows[0]?.choice ?? 'anyone', peerIds: peers.map((p) => p.id), peerHandles: peers.map((p) => p.handle) };
}

export async function saveChoice(q: Queryable, memberId: number, choice: CheckInChoice, peerIds: number[], at: Date): Promise<void> {
  await q.query(
    `INSERT INTO check_in_choices (member_id, choice, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (member_id) DO UPDATE SET choice = EXCLUDED.choice, updated_at = EXCLUDED.updated_at`,
    [memberId, choice, at],
  );
  await q.query('DELETE FROM check_in_chosen_peers WHERE member_id = $1', [memberId]);
  for (const peerId of peerIds) {
    await q.query('INSERT INTO check_in_chosen_peers (member_id, peer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [memberId, peerId]);
  }
}

// ---- volunteering -----------------------------------------------------------

export async function isVolunteer(q: Queryable, memberId: number): Promise<boolean> {
  return (await q.query("SELECT 1 FROM volunteers WHERE member_id = $1 AND role = 'check_in'", [memberId])).length > 0;
}

export async function setVolunteer(q: Queryable, memberId: number, on: boolean): Promise<void> {
  if (on) await q.query("INSERT INTO volunteers (member_id, role) VALUES ($1, 'check_in') ON CONFLICT DO NOTHING", [memberId]);
  else await q.query("DELETE FROM volunteers WHERE member_id = $1 AND role = 'check_in'", [memberId]);
}


// ---- the messages -------------------------------------------------------------

export async function insertCheckIn(
  q: Queryable,
  c: { toMemberId: number; fromMemberId: number; circleId: number | null; requestId: number | null; replyTo: number | null; body: string; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO check_ins (to_member_id, from_member_id, circle_id, request_id, reply_to, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [c.toMemberId, c.fromMemberId, c.circleId, c.requestId, c.replyTo, c.body, c.at],
  );
  return rows[0]!.id;
}

export async function listCheckIns(q: Queryable, memberId: number, limit: number): Promise<CheckInMessage[]> {
  const rows = await q.query<{
    id: number; to_member_id: number; to_handle: string; from_member_id: number | null; from_handle: string | null;
    circle_id: number | null; request_id: number | null; reply_to: number | null; body: string; created_at: Date; read_at: Date | null;
  }>(
    `SELECT c.id, c.to_member_id, t.handle AS to_handle, c.from_member_id, f.handle AS from_handle, c.circle_id, c.request_id, c.reply_to,
            c.body, c.created_at, c.read_at
       FROM check_ins c JOIN members t ON t.id = c.to_member_id LEFT JOIN members f ON f.id = c.from_member_id
      WHERE c.to_member_id = $1 OR c.from_member_id = $1 ORDER BY c.id DESC LIMIT $2`,
    [memberId, limit],
  );
  return rows.map((r) => ({
    id: r.id, toMemberId: r.to_member_id, toHandle: r.to_handle, fromMemberId: r.from_member_id, fromHandle: r.from_handle,
    circleId: r.circle_id, requestId: r.request_id, replyTo: r.reply_to, body: r.body, createdAt: r.created_at, readAt: r.read_at,
  }));
}

export async function findCheckIn(q: Queryable, id: number): Promise<{ id: number; toMemberId: number; fromMemberId: number | null; circleId: number | null } | undefined> {
  const rows = await q.query<{ id: number; to_member_id: number; from_member_id: number | null; circle_id: number | null }>(
    'SELECT id, to_member_id, from_member_id, circle_id FROM check_ins WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r && { id: r.id, toMemberId: r.to_member_id, fromMemberId: r.from_member_id, circleId: r.circle_id };
}

export async function markCheckInsRead(q: Queryable, memberId: number, at: Date): Promise<void> {
  await q.query('UPDATE check_ins SET read_at = $2 WHERE to_member_id = $1 AND read_at IS NULL', [memberId, at]);
}
