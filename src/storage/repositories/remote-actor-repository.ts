import type { Queryable } from '../database.js';

export interface RemoteActorProfile {
  iri: string;
  host: string;
  handle: string;
  displayName: string;
  profileUrl: string | null;
  avatarUrl: string | null;
}

/** Creates or refreshes what Hearth shows of a remote author; returns its row id. */
export async function upsertRemoteActor(q: Queryable, a: RemoteActorProfile): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO remote_actors (iri, host, handle, display_name, profile_url, avatar_url)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (iri) DO UPDATE SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name,
       profile_url = EXCLUDED.profile_url, avatar_url = EXCLUDED.avatar_url, updated_at = now()
     RETURNING id`,
    [a.iri, a.host, a.handle, a.displayName, a.profileUrl, a.avatarUrl],
  );
  return rows[0]!.id;
}

export interface RemoteActorRef {
  id: number;
  iri: string;
  host: string;
  /** user@host */
  address: string;
}

/** An account from another server that Hearth has seen, by its row id or its ActivityPub id. */
export async function findRemoteActor(q: Queryable, key: { id: number } | { iri: string }): Promise<RemoteActorRef | undefined> {
  const [column, value] = 'id' in key ? ['id', key.id] : ['iri', key.iri];
  const rows = await q.query<{ id: number; iri: string; host: string; handle: string }>(`SELECT id, iri, host, handle FROM remote_actors WHERE ${column} = $1`, [value]);
  const r = rows[0];
  return r && { id: r.id, iri: r.iri, host: r.host, address: `${r.handle}@${r.host}` };
}
