import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './database.js';
import { backupToFile, type BackupSummary } from './backup.js';

const NAME = /^hearth-(\d{8}T\d{6}Z)\.jsonl\.gz$/;

export interface BackupScheduleSettings {
  dir: string;
  /** How many backups to keep (the oldest beyond this are deleted). */
  keep: number;
  /** How often to make one. */
  intervalMs: number;
}

/** The file name for a backup made at `at`: hearth-20261125T221500Z.jsonl.gz (sorts by time). */
export function backupFileName(at: Date): string {
  return `hearth-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}.jsonl.gz`;
}

/** The server's backups in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => NAME.test(f)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Makes a backup when the newest one in the folder is older than the interval
 * (or there is none), then deletes the oldest beyond `keep`. Called by the
 * server every few minutes, so a restart neither skips nor repeats one.
 * Returns what was written, or undefined when none was due.
 */
export async function runDueBackup(
  db: Database,
  s: BackupScheduleSettings,
  now: Date = new Date(),
): Promise<(BackupSummary & { file: string; bytes: number }) | undefined> {
  mkdirSync(s.dir, { recursive: true });
  const newest = listBackups(s.dir).at(-1);
  if (newest && now.getTime() - statSync(path.join(s.dir, newest)).mtimeMs < s.intervalMs) return undefined;
  const file = path.join(s.dir, backupFileName(now));
  const result = await backupToFile(db, file);
  const all = listBackups(s.dir);
  for (const old of all.slice(0, Math.max(0, all.length - s.keep))) rmSync(path.join(s.dir, old), { force: true });
  return { ...result, file };
}
