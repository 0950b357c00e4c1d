import type { Queryable } from '../database.js';

/** Who answers to a handle, as other servers may see them (public circles and active members only). */
export type DirectoryEntry = { kind: 'circle'; slug: string } | { kind: 'member'; handle: string };

export async function findFederatedActor(q: Queryable, name: string): Promise<DirectoryEntry | undefined> {
  const rows = await q.query<{ kind: 'circle' | 'member' }>(
    `SELECT h.kind FROM handles h
     LEFT JOIN circles c ON c.slug = h.name
     LEFT JOIN members m ON m.handle = h.name
     WHERE h.name = $1
       AND ((h.kind = 'circle' AND c.visibility = 'public') OR (h.kind = 'member' AND m.status = 'active' AND m.profile_listed))`,
    [name],
  );
  const kind = rows[0]?.kind;
  if (kind === 'circle') return { kind, slug: name };
  if (kind === 'member') return { kind, handle: name };
  return undefined;
}

export interface UsageFigures {
  users: number;
  activeMonth: number;
  activeHalfyear: number;
  localPosts: number;
}

/** Counts for NodeInfo: members, members who posted lately, and visible posts. */
export async function usageFigures(q: Queryable, now: Date): Promise<UsageFigures> {
  const rows = await q.query<UsageFigures>(
    `SELECT
       (SELECT count(*)::int FROM members WHERE status = 'active') AS "users",
       (SELECT count(DISTINCT author_id)::int FROM posts WHERE created_at > $1::timestamptz - interval '30 days') AS "activeMonth",
       (SELECT count(DISTINCT author_id)::int FROM posts WHERE created_at > $1::timestamptz - interval '180 days') AS "activeHalfyear",
       (SELECT count(*)::int FROM posts WHERE state = 'visible') AS "localPosts"`,
    [now],
  );
  return rows[0]!;
}
