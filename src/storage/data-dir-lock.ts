import { spawnSync } from 'node:child_process';
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded database can be used by one process at a time. A second process
 * (the `hearth` command while the server runs, or a second container on the
 * same volume) is refused with a clear message instead of corrupting the files.
 *
 * The lock is an exclusive `flock(2)` on `hearth.lock` in the folder, held by
 * an open file of this process for as long as it has the database open. The
 * kernel keeps it whatever PID namespace the other process lives in (a process
 * id alone cannot: in another container the owner's pid looks dead), and
 * drops it by itself when the process ends, however it ends: a lock is never
 * left behind, and nothing has to be taken over or deleted.
 *
 * Node has no flock of its own. Rather than a native add-on (fs-ext needs a
 * compiler at install time, and the Docker image installs with
 * --ignore-scripts), util-linux's `flock` command takes the lock on a file
 * descriptor this process passes it as fd 3: flock locks belong to the open
 * file, which the child shares with us, so the lock stays held by our file
 * after the command exits. util-linux is part of every Debian system (also
 * the node:*-slim images). On NFS, Linux maps flock to POSIX locks; keep the
 * data folder on a local volume.
 */
export class DataDirInUseError extends Error {
  constructor(dir: string, owner: string) {
    super(
      `The embedded database in ${dir} is in use by another Hearth process${owner ? ` (${owner})` : ''}. ` +
        'Stop the server first, or use a PostgreSQL server (DATABASE_URL), which several processes can share.',
    );
    this.name = 'DataDirInUseError';
  }
}

/** `flock`'s exit code when the lock is held elsewhere (chosen by us, like EX_TEMPFAIL). */
const HELD_ELSEWHERE = 75;

function describeOwner(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    return `owner unknown: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

/** Takes the folder's lock; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'hearth.lock');
  // Read-write, created when missing, never truncated before the lock is ours.
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  let result;
  try {
    result = spawnSync('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', String(HELD_ELSEWHERE), '3'], {
      stdio: ['ignore', 'ignore', 'pipe', fd],
      encoding: 'utf8',
    });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (result.error || result.status !== 0) {
    closeSync(fd);
    if (result.status === HELD_ELSEWHERE) throw new DataDirInUseError(dir, describeOwner(file));
    const why = result.error ? result.error.message : `flock ended with ${result.status ?? result.signal}: ${result.stderr.trim()}`;
    throw new Error(`Could not lock the embedded database folder ${dir} (Hearth needs the flock command from util-linux): ${why}`);
  }
  // For people reading the message above; the lock itself is the flock.
  ftruncateSync(fd, 0);
  writeSync(fd, `pid ${process.pid} on ${os.hostname()}, since ${new Date().toISOString()}`, 0);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    ftruncateSync(fd, 0);
    closeSync(fd); // closing our only descriptor of the open file releases the flock
  };
}
