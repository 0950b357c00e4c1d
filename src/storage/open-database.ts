import path from 'node:path';
import type { DatabaseTimeouts } from '../config.js';
import type { Database } from './database.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';

export interface DatabaseSettings {
  /** postgres://… when a server is used; undefined for embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder for PGlite's files (ignored with a server). */
  dataDir: string;
  /** Limits on waiting for the server (PostgreSQL only). */
  database?: Partial<DatabaseTimeouts>;
}

export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  if (settings.databaseUrl) return openPgDatabase(settings.databaseUrl, { timeouts: settings.database });
  return openPgliteDatabase(path.join(settings.dataDir, 'pglite'));
}
