import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/paths.js';
import { openPgliteDatabase } from '../../../src/storage/pglite-database.js';

const adapter = pathToFileURL(path.join(packageRoot, 'dist', 'src', 'storage', 'pglite-database.js')).href;

/** A script that opens the embedded database in `dir` and prints what happened. */
function opener(dir: string, hold: boolean): string {
  return `
    const { openPgliteDatabase } = await import(${JSON.stringify(adapter)});
    try {
      const db = await openPgliteDatabase(${JSON.stringify(dir)});
      await db.query('SELECT 1');
      console.log('opened');
      ${hold ? "process.stdin.resume(); process.stdin.on('end', () => db.close().then(() => process.exit(0)));" : 'await db.close();'}
    } catch (error) {
      console.log('refused: ' + error.message);
      process.exitCode = 1;
    }`;
}

/** Starts a process that holds `dir` open; resolves once it has the database. */
async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', opener(dir, true)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  expect(line).to.equal('opened');
  return child;
}

async function refusal(dir: string): Promise<string> {
  try {
    const db = await openPgliteDatabase(dir);
    await db.close();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the embedded database folder lock', function () {
  this.timeout(90_000);
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-lock-'));
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process with a clear message, and is free again once the first has ended', async () => {
    child = await holder(dir);
    const message = await refusal(dir);
    expect(message).to.contain('is in use by another Hearth process');
    expect(message).to.contain(`pid ${child.pid}`);
    expect(message).to.contain('Stop the server first');
    // Even a crash (no chance to clean up) frees the folder: the kernel drops the lock.
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(await refusal(dir)).to.equal('');
  });

  it('pays no attention to what an old lock file says', async () => {
    writeFileSync(path.join(dir, 'hearth.lock'), `pid ${process.ppid} on ${os.hostname()}`);
    expect(await refusal(dir)).to.equal('');
  });

  it('holds against a process in another PID namespace (a second container on the same volume)', async function () {
    const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      console.warn(`    (skipped: unshare is not permitted on this machine: ${probe.error?.message ?? probe.stderr.trim()})`);
      this.skip();
    }
    child = await holder(dir);
    const intruder = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '--input-type=module', '-e', opener(dir, false)], {
      encoding: 'utf8',
    });
    expect(intruder.stdout).to.contain('refused: The embedded database');
    expect(intruder.stdout).to.contain('is in use by another Hearth process');
    expect(intruder.status).to.equal(1);
    // The first process still has its database, and its lock file is untouched.
    expect(readFileSync(path.join(dir, 'hearth.lock'), 'utf8')).to.contain(`pid ${child.pid}`);

    child.stdin!.end(); // the first process closes its database and ends
    await once(child, 'exit');
    const after = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '--input-type=module', '-e', opener(dir, false)], {
      encoding: 'utf8',
    });
    expect(after.stdout).to.contain('opened');
    expect(after.status).to.equal(0);
  });
});
