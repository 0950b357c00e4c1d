import type { Member, MemberRole, MemberStatus, WhoMayMessage } from '../../domain/members/member.js';
import type { Queryable } from '../database.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { claimHandle } from './handle-repository.js';

interface MemberRow {
  id: number;
  handle: string;
  display_name: string;
  email: string | null;
  role: MemberRole;
  status: MemberStatus;
  pronouns: string;
  bio: string;
  created_at: Date;
  cw_display: 'folded' | 'unfolded';
  muted_words: string[];
  profile_listed: boolean;
  federate_posts: boolean;
  time_zone: string | null;
  discoverable: boolean;
  indexable: boolean;
  avatar_version: string | null;
  who_may_message: WhoMayMessage;
  language: string | null;
}

const COLUMNS = 'id, handle, display_name, email, role, status, pronouns, bio, created_at, cw_display, muted_words, profile_listed, federate_posts, time_zone, discoverable, indexable, avatar_version, who_may_message, language';

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    status: row.status,
    pronouns: row.pronouns,
    bio: row.bio,
    createdAt: row.created_at,
    cwDisplay: row.cw_display,
    mutedWords: row.muted_words,
    profileListed: row.profile_listed,
    federatePosts: row.federate_posts,
    timeZone: row.time_zone,
    discoverable: row.discoverable,
    indexable: row.indexable,
    avatarVersion: row.avatar_version,
    whoMayMessage: row.who_may_message,
    language: isLocale(row.language) ? row.language : null,
  };
}

export interface NewMember {
  handle: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  role: MemberRole;
  status: MemberStatus;
}

/** Inserts the handle and the member; run it inside a transaction. */
export async function insertMember(q: Queryable, m: NewMember): Promise<Member> {
  await claimHandle(q, m.handle, 'member', 'handle');
  const rows = await q.query<MemberRow>(
    `INSERT INTO members (handle, display_name, email, password_hash, role, status)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [m.handle, m.displayName, m.email, m.passwordHash, m.role, m.status],
  );
  return toMember(rows[0]!);
}

export async function findMemberById(q: Queryable, id: number): Promise<Member | undefined> {
  const rows = await q.query<MemberRow>(`SELECT ${COLUMNS} FROM members WHERE id = $1`, [id]);
  return rows[0] && toMember(rows[0]);
}

export async function findMemberByHandle(q: Queryable, handle: string): Promise<Member | undefined> {
  const rows = await q.query<MemberRow>(`SELECT ${COLUMNS} FROM members WHERE handle = $1`, [handle]);
  return rows[0] && toMember(rows[0]);
}

export async function findCredentials(
  q: Queryable,
  handle: string,
): Promise<{ member: Member; passwordHash: string } | undefined> {
  const rows = await q.query<MemberRow & { password_hash: string }>(
    `SELECT ${COLUMNS}, password_hash FROM members WHERE handle = $1`,
    [handle],
  );
  const row = rows[0];
  return row && { member: toMember(row), passwordHash: row.password_hash };
}

export async function listMembersByStatus(q: Queryable, status: MemberStatus): Promise<Member[]> {
  const rows = await q.query<MemberRow>(`SELECT ${COLUMNS} FROM members WHERE status = $1 ORDER BY created_at, id`, [status]);
  return rows.map(toMember);
}

export async function setMemberStatus(q: Queryable, id: number, status: MemberStatus): Promise<Member | undefined> {
  const rows = await q.query<MemberRow>(`UPDATE members SET status = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, status]);
  return rows[0] && toMember(rows[0]);
}

/** Forgets someone whose request to join was declined: their row, and their handle, which becomes free again. */
export async function deleteDeclinedMember(q: Queryable, id: number, handle: string): Promise<void> {
  await q.query('DELETE FROM members WHERE id = $1', [id]);
  await q.query('DELETE FROM handles WHERE name = $1', [handle]);
}

export async function setMemberRole(q: Queryable, id: number, role: MemberRole): Promise<void> {
  await q.query('UPDATE members SET role = $2 WHERE id = $1', [id, role]);
}

export interface ProfileChanges {
  displayName: string;
  pronouns: string;
  bio: string;
  email: string | null;
}

export async function updatePasswordHash(q: Queryable, id: number, hash: string): Promise<void> {
  await q.query('UPDATE members SET password_hash = $2 WHERE id = $1', [id, hash]);
}

export async function countMembers(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM members WHERE status = 'active'");
  return rows[0]!.n;
}

/** Everything on the member's settings page at once; run it inside a transaction with nothing else. */
export async function updateSettings(q: Queryable, id: number, s: ProfileChanges & MemberPreferences & MemberPrivacy & { timeZone: string | null; language: Locale | null }): Promise<Member> {
  const rows = await q.query<MemberRow>(
    `UPDATE members SET display_name = $2, pronouns = $3, bio = $4, email = $5, cw_display = $6, muted_words = $7,
       profile_listed = $8, federate_posts = $9, time_zone = $10, discoverable = $11, indexable = $12, language = $13
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, s.displayName, s.pronouns, s.bio, s.email, s.cwDisplay, s.mutedWords, s.profileListed, s.federatePosts, s.timeZone, s.discoverable, s.indexable, s.language],
  );
  return toMember(rows[0]!);
}

/** Who may start a conversation with the member (saved with the settings form, in its transaction). */
export async function setWhoMayMessage(q: Queryable, id: number, who: WhoMayMessage): Promise<Member> {
  const rows = await q.query<MemberRow>(`UPDATE members SET who_may_message = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, who]);
  return toMember(rows[0]!);
}

export interface MemberPreferences {
  cwDisplay: 'folded' | 'unfolded';
  mutedWords: string[];
}

export interface MemberPrivacy {
  profileListed: boolean;
  federatePosts: boolean;
  /** Other servers may suggest this member (off until chosen). */
  discoverable: boolean;
  /** Other servers may search this member's public posts (off until chosen). */
  indexable: boolean;
}

/** The zone a member sees times in: their own, else the instance's (UTC before setup). */
export async function shownTimeZone(q: Queryable, id: number): Promise<string> {
  const rows = await q.query<{ zone: string | null }>(
    'SELECT COALESCE((SELECT time_zone FROM members WHERE id = $1), (SELECT time_zone FROM instance WHERE id = 1)) AS zone',
    [id],
  );
  return rows[0]?.zone ?? 'UTC';
}

/** The active members with these handles (for @mentions). */
export async function findActiveMembersByHandles(q: Queryable, handles: string[]): Promise<Array<{ id: number; handle: string }>> {
  if (handles.length === 0) return [];
  return q.query<{ id: number; handle: string }>(
    `SELECT id, handle FROM members WHERE handle = ANY($1::text[]) AND status = 'active' ORDER BY id`,
    [handles],
  );
}

/** The language the member reads Hearth in (NULL: their browser's, else the instance's). */
export async function setMemberLanguage(q: Queryable, id: number, language: Locale | null): Promise<Member> {
  const rows = await q.query<MemberRow>(`UPDATE members SET language = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, language]);
  return toMember(rows[0]!);
}
