/**
 * npm run bench:restart: how long a restart takes, from `npm start` (with
 * dist/ up to date, as on a second start) to /healthz answering 200, on
 * embedded PGlite in a temporary folder. Target: under 10 s on the project's
 * 2-core test machine. Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/paths.js';

const RUNS = Number(process.env.BENCH_RESTARTS ?? 3);
const TARGET_MS = 10_000;

async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch (error) {
    if (error instanceof TypeError) return false; // not listening yet
    throw error;
  }
}

async function oneStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const started = performance.now();
  // detached: npm starts a shell that starts node; the whole group is stopped afterwards.
  const child = spawn('npm', ['start', '--silent'], { cwd: packageRoot, env, stdio: 'ignore', detached: true });
  try {
    while (!(await healthy(`http://127.0.0.1:${port}/healthz`))) {
      if (child.exitCode !== null) throw new Error(`npm start ended with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return performance.now() - started;
  } finally {
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-restart-'));
  try {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) times.push(await oneStart(dataDir));
    const [first, ...restarts] = times;
    console.log(`first start (creates the database): ${(first! / 1000).toFixed(1)} s`);
    console.log(`restarts: ${restarts.map((t) => (t / 1000).toFixed(1)).join(' s, ')} s (target: under ${TARGET_MS / 1000} s)`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
