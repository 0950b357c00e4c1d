import type { ParticipantState, ConversationMessage, ConversationSummary, Participant } from '../../domain/conversations/conversation.js';
import type { WhoMayMessage } from '../../domain/members/member.js';
import type { Queryable } from '../database.js';

/** A member as a conversation needs them: who they are and who may write to them. */
export interface Correspondent {
  id: number;
  handle: string;
  displayName: string;
  status: string;
  whoMayMessage: WhoMayMessage;
}

export async function findCorrespondents(q: Queryable, handles: string[]): Promise<Correspondent[]> {
  if (handles.length === 0) return [];
  const rows = await q.query<{ id: number; handle: string; display_name: string; status: string; who_may_message: WhoMayMessage }>(
    'SELECT id, handle, display_name, status, who_may_message FROM members WHERE handle = ANY($1::text[])',
    [handles],
  );
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name, status: r.status, whoMayMessage: r.who_may_message }));
}

export async function findCorrespondentById(q: Queryable, id: number): Promise<Correspondent | undefined> {
  const rows = await q.query<{ handle: string }>('SELECT handle FROM members WHERE id = $1', [id]);
  return rows[0] ? (await findCorrespondents(q, [rows[0].handle]))[0] : undefined;
}

/** Whether two members belong to a circle together. */
export async function shareACircle(q: Queryable, a: number, b: number): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM circle_members x JOIN circle_members y ON y.circle_id = x.circle_id WHERE x.member_id = $1 AND y.member_id = $2 LIMIT 1',
    [a, b],
  );
  return rows.length > 0;
}

/** Whether `member` has accepted a conversation with `other` in it before (then a new one from them is no request). */
export async function haveTalked(q: Queryable, member: number, other: number): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM conversation_participants me JOIN conversation_participants them ON them.conversation_id = me.conversation_id
     WHERE me.member_id = $1 AND me.accepted_at IS NOT NULL AND them.member_id = $2 LIMIT 1`,
    [member, other],
  );
  return rows.length > 0;
}

export async function countStartedSince(q: Queryable, memberId: number, since: Date): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE started_by = $1 AND created_at > $2', [memberId, since]);
  return rows[0]!.n;
}

export async function insertConversation(q: Queryable, startedBy: number, at: Date): Promise<number> {
  const rows = await q.query<{ id: number }>('INSERT INTO conversations (started_by, created_at, last_message_at) VALUES ($1, $2, $2) RETURNING id', [startedBy, at]);
  return rows[0]!.id;
}

export async function addParticipant(q: Queryable, conversationId: number, memberId: number, state: ParticipantState, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO conversation_participants (conversation_id, member_id, state, added_at, accepted_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'joined' THEN $4::timestamptz END)`,
    [conversationId, memberId, state, at],
  );
}

export async function insertMessage(
  q: Queryable,
  m: { conversationId: number; authorId: number; kind: 'message' | 'left'; source: string; html: string; plainText: string; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO conversation_messages (conversation_id, author_id, kind, source, html, plain_text, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [m.conversationId, m.authorId, m.kind, m.source, m.html, m.plainText, m.at],
  );
  await q.query('UPDATE conversations SET last_message_at = GREATEST(last_message_at, $2) WHERE id = $1', [m.conversationId, m.at]);
  return rows[0]!.id;
}

/** A member's place in a conversation (locked for the transaction when `forUpdate`). */
export async function findParticipant(q: Queryable, conversationId: number, memberId: number, forUpdate = false): Promise<{ state: ParticipantState; lastReadId: number } | undefined> {
  const rows = await q.query<{ state: ParticipantState; last_read_id: number }>(
    `SELECT state, last_read_id FROM conversation_participants WHERE conversation_id = $1 AND member_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [conversationId, memberId],
  );
  return rows[0] ? { state: rows[0].state, lastReadId: rows[0].last_read_id } : undefined;
}

export async function setParticipantState(q: Queryable, conversationId: number, memberId: number, state: ParticipantState, at: Date): Promise<void> {
  await q.query(
    `UPDATE conversation_participants SET state = $3, accepted_at = CASE WHEN $3 = 'joined' THEN COALESCE(accepted_at, $4::timestamptz) ELSE accepted_at END
     WHERE conversation_id = $1 AND member_id = $2`,
    [conversationId, memberId, state, at],
  );
}

export async function listParticipants(q: Queryable, conversationId: number): Promise<Participant[]> {
  const rows = await q.query<{ member_id: number; handle: string; display_name: string; state: ParticipantState }>(
    `SELECT p.member_id, m.handle, m.display_name, p.state FROM conversation_participants p JOIN members m ON m.id = p.member_id
     WHERE p.conversation_id = $1 ORDER BY p.added_at, m.handle`,
    [conversationId],
  );
  return rows.map((r) => ({ memberId: r.member_id, handle: r.handle, displayName: r.display_name, state: r.state }));
}

export async function listMessages(q: Queryable, conversationId: number): Promise<ConversationMessage[]> {
  const rows = await q.query<{ id: number; author_id: number | null; handle: string | null; display_name: string | null; kind: 'message' | 'left'; html: string; created_at: Date; removed_at: Date | null }>(
    `SELECT c.id, c.author_id, m.handle, m.display_name, c.kind, c.html, c.created_at, c.removed_at
     FROM conversation_messages c LEFT JOIN members m ON m.id = c.author_id
     WHERE c.conversation_id = $1 ORDER BY c.id`,
    [conversationId],
  );
  return rows.map((r) => ({
    id: r.id,
    authorId: r.author_id,
    author: r.handle !== null ? { handle: r.handle, displayName: r.display_name ?? '' } : null,
    kind: r.kind,
    html: r.html,
    createdAt: r.created_at,
    removed: r.removed_at !== null,
  }));
}

export async function markRead(q: Queryable, conversationId: number, memberId: number): Promise<void> {
  await q.query(
    `UPDATE conversation_participants SET last_read_id = COALESCE((SELECT max(id) FROM conversation_messages WHERE conversation_id = $1), 0)
     WHERE conversation_id = $1 AND member_id = $2`,
    [conversationId, memberId],
  );
}

/** The conversations a member sees in their list (not those they left or ignored), newest activity first. */
export async function listConversationsFor(q: Queryable, memberId: number, limit: number): Promise<ConversationSummary[]> {
  const rows = await q.query<{ id: number; state: ParticipantState; last_message_at: Date; unread: boolean; others: string[] | null }>(
    `SELECT c.id, p.state, c.last_message_at,
            EXISTS (SELECT 1 FROM conversation_messages x WHERE x.conversation_id = c.id AND x.id > p.last_read_id AND x.author_id IS DISTINCT FROM $1) AS unread,
            (SELECT array_agg(CASE WHEN m.display_name = '' THEN m.handle ELSE m.display_name END ORDER BY o.added_at, m.handle)
               FROM conversation_participants o JOIN members m ON m.id = o.member_id
              WHERE o.conversation_id = c.id AND o.member_id <> $1 AND o.state <> 'left') AS others
     FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
     WHERE p.member_id = $1 AND p.state IN ('joined', 'requested')
     ORDER BY c.last_message_at DESC, c.id DESC LIMIT $2`,
    [memberId, limit],
  );
  return rows.map((r) => ({ id: r.id, state: r.state, lastMessageAt: r.last_message_at, unread: r.unread, others: r.others ?? [] }));
}

export async function findMessage(q: Queryable, messageId: number): Promise<{ id: number; conversationId: number; authorId: number | null; kind: 'message' | 'left'; html: string; removed: boolean } | undefined> {
  const rows = await q.query<{ id: number; conversation_id: number; author_id: number | null; kind: 'message' | 'left'; html: string; removed_at: Date | null }>(
    'SELECT id, conversation_id, author_id, kind, html, removed_at FROM conversation_messages WHERE id = $1',
    [messageId],
  );
  const r = rows[0];
  return r ? { id: r.id, conversationId: r.conversation_id, authorId: r.author_id, kind: r.kind, html: r.html, removed: r.removed_at !== null } : undefined;
}

/**
 * A member deleting their account: in every conversation they are still part
 * of, the others see that they left; with "remove my posts" their messages'
 * words go too (a placeholder stays), as their posts' do.
 */
export async function leaveConversationsOnDeletion(q: Queryable, memberId: number, at: Date, removeWords: boolean): Promise<void> {
  const active = await q.query<{ conversation_id: number }>(
    "SELECT conversation_id FROM conversation_participants WHERE member_id = $1 AND state = 'joined'",
    [memberId],
  );
  for (const { conversation_id } of active) {
    await insertMessage(q, { conversationId: conversation_id, authorId: memberId, kind: 'left', source: '', html: '', plainText: '', at });
  }
  if (removeWords) {
    await q.query("UPDATE conversation_messages SET source = '', html = '', plain_text = '', removed_at = $2 WHERE author_id = $1 AND kind = 'message' AND removed_at IS NULL", [memberId, at]);
  }
}

/** A member's part in conversations, for their export: who was in each, and what they wrote. */
export async function exportConversations(
  q: Queryable,
  memberId: number,
): Promise<{ whoMayStartOne: WhoMayMessage | null; conversations: Array<{ conversation: number; with: string[]; startedAt: Date; messages: Array<{ at: Date; text: string }> }> }> {
  const setting = await q.query<{ who: WhoMayMessage }>('SELECT who_may_message AS who FROM members WHERE id = $1', [memberId]);
  const rows = await q.query<{ id: number; created_at: Date; others: string[] | null }>(
    `SELECT c.id, c.created_at,
            (SELECT array_agg(m.handle ORDER BY m.handle) FROM conversation_participants o JOIN members m ON m.id = o.member_id
              WHERE o.conversation_id = c.id AND o.member_id <> $1) AS others
     FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
     WHERE p.member_id = $1 ORDER BY c.id`,
    [memberId],
  );
  const mine = await q.query<{ conversation_id: number; created_at: Date; source: string }>(
    "SELECT conversation_id, created_at, source FROM conversation_messages WHERE author_id = $1 AND kind = 'message' AND removed_at IS NULL ORDER BY id",
    [memberId],
  );
  return {
    whoMayStartOne: setting[0]?.who ?? null,
    conversations: rows.map((r) => ({
      conversation: r.id,
      with: r.others ?? [],
      startedAt: r.created_at,
      messages: mine.filter((m) => m.conversation_id === r.id).map((m) => ({ at: m.created_at, text: m.source })),
    })),
  };
}
