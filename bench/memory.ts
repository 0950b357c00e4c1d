/**
 * npm run bench:memory — how much memory Hearth takes, and where it goes
 * (issue 11, item 7). Prints figures; asserts nothing.
 *
 * (a) what each large dependency costs: imported alone in a fresh Node
 *     process (RSS and V8 heap before and after, and the time it took);
 * (b) a real Hearth server (`node dist/src/server.js`, as `npm start` runs
 *     it): right after its very first start on a new PGlite folder, after a
 *     restart on that folder, and idle on PostgreSQL (DATABASE_URL);
 * (c) the same server after read load (autocannon, as in bench/run.ts:
 *     visitors' and a member's thread and circle pages, and the thread page
 *     rendered afresh) on PGlite and, with DATABASE_URL, on PostgreSQL.
 *
 * RSS is the server process's resident memory (all its threads, so the
 * render worker's too: on 2 cores the pool has one worker), read from
 * /proc/PID/status once it has settled (three readings 500 ms apart within
 * 1 MiB). DATABASE_URL must name a database containing "test" or "bench": it
 * is emptied. BENCH_SECONDS sets each load case's length (default 5).
 * BENCH_MEMORY_PARTS (deps,pglite,pg: all by default) picks what is measured;
 * The server gets the Node flags `npm start` gives it; BENCH_NODE_FLAGS
 * replaces them (to compare heap settings; "" for none).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { packageRoot } from '../src/paths.js';
import { logIn } from './seed.js';

const MiB = 1024 * 1024;
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const SERVER = path.join(packageRoot, 'dist', 'src', 'server.js');
const SEED = path.join(packageRoot, 'dist', 'bench', 'memory-seed.js');
const PARTS = new Set((process.env.BENCH_MEMORY_PARTS ?? 'deps,pglite,pg').split(','));
/** The Node flags `npm start` gives the server (package.json: "node FLAGS dist/src/server.js"). */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/src/server.js'));
}
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? startFlags().join(' ')).split(' ').filter(Boolean);
const TARGETS = { pgAfterLoad: 200, pgliteAfterLoad: 350, pgliteFirstStart: 350 };

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const label = (text: string) => text.padEnd(78);

// ---------------------------------------------------------------- (a)

/** Imports `what` alone in a fresh process (then, for some, uses it as Hearth does). */
const PROBE = `
const [name, use] = [process.argv[1], process.argv[2]];
gc();
const before = process.memoryUsage();
const started = performance.now();
const m = await import(name);
if (use === 'window') new m.JSDOM('');
if (use === 'open-new' || use === 'open-existing' || use === 'open-hearth') {
  const dir = process.argv[3];
  const options = use === 'open-hearth' ? (await import(process.argv[4])).PGLITE_OPTIONS : {};
  const db = new m.PGlite(dir, options);
  await db.waitReady;
  await db.query('SELECT 1');
  globalThis.keep = db;
}
const ms = performance.now() - started;
gc();
await new Promise((resolve) => setTimeout(resolve, 200));
const after = process.memoryUsage();
console.log(JSON.stringify({ rss: after.rss - before.rss, heap: after.heapUsed - before.heapUsed, rssAfter: after.rss, ms }));
process.exit(0);
`;

interface Cost {
  rss: number;
  heap: number;
  rssAfter: number;
  ms: number;
}

async function probe(name: string, use = '', ...more: string[]): Promise<Cost> {
  const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', PROBE, name, use, ...more], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  await once(child, 'exit');
  return JSON.parse(line) as Cost;
}

async function dependencyCosts(): Promise<string[]> {
  const lines = ['(a) each large dependency imported alone in a fresh Node process (RSS / V8 heap added; a bare process is ~40 MiB)'];
  const one = async (what: string, name: string, use = '', ...more: string[]) => {
    const c = await probe(name, use, ...more);
    lines.push(`${label(`  ${what}`)} RSS +${mib(c.rss).padStart(10)}   heap +${mib(c.heap).padStart(9)}   ${c.ms.toFixed(0).padStart(6)} ms`);
  };
  await one('jsdom (import)', 'jsdom');
  await one('jsdom (import and one window, as the render worker does)', 'jsdom', 'window');
  await one('dompurify', 'dompurify');
  await one('activitypub-express as Hearth loads it (without MongoDB)', path.join(packageRoot, 'dist', 'src', 'federation', 'apex-module.js'));
  await one('activitypub-express as published (loads the MongoDB driver)', 'activitypub-express');
  await one('mongodb (the driver alone)', 'mongodb');
  await one('pg', 'pg');
  await one('sharp', 'sharp');
  await one('argon2', 'argon2');
  await one('handlebars', 'handlebars');
  await one('express-handlebars', 'express-handlebars');
  await one('markdown-it', 'markdown-it');
  await one('intl-messageformat', 'intl-messageformat');
  await one('piscina', 'piscina');
  await one('express', 'express');
  await one('@electric-sql/pglite (import)', '@electric-sql/pglite');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-memory-'));
  try {
    await one('@electric-sql/pglite: creating a new database (initdb), PGlite defaults', '@electric-sql/pglite', 'open-new', dir);
    await one('@electric-sql/pglite: opening that database, PGlite defaults (shared_buffers 128 MB)', '@electric-sql/pglite', 'open-existing', dir);
    const settings = path.join(packageRoot, 'dist', 'src', 'storage', 'pglite-settings.js');
    await one("@electric-sql/pglite: opening it with Hearth's settings (shared_buffers 16 MB)", '@electric-sql/pglite', 'open-hearth', dir, settings);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

// ---------------------------------------------------------------- (b), (c)

function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** RSS once three readings 500 ms apart stay within 1 MiB (at most 30 s). */
async function settledRss(pid: number): Promise<{ rss: number; peak: number }> {
  const readings: number[] = [];
  for (let i = 0; i < 60; i++) {
    readings.push(rssOf(pid).rss);
    const last = readings.slice(-3);
    if (last.length === 3 && Math.max(...last) - Math.min(...last) < MiB) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return rssOf(pid);
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

interface Running {
  child: ChildProcess;
  origin: string;
}

/** `node dist/src/server.js` with `env`, once it answers /healthz. */
async function startServer(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, SERVER], { env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped (exit code ${child.exitCode})`);
    const ok = await fetch(`${origin}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { child, origin };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopServer({ child }: Running): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function seed(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [SEED], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  await once(child, 'exit');
  return (JSON.parse(line) as { threadPath: string }).threadPath;
}

/** Runs the read load; returns each page's requests per second (to compare heap settings' cost). */
async function readLoad(server: Running, threadPath: string): Promise<string> {
  const cookie = await logIn(server.origin, 'alice');
  const thread = `${server.origin}${threadPath}`;
  const circle = `${server.origin}/c/busy`;
  const cases: Array<{ url: string; headers?: Record<string, string> }> = [
    { url: thread },
    { url: circle },
    { url: thread, headers: { cookie } },
    { url: circle, headers: { cookie } },
    { url: thread, headers: { 'Cache-Control': 'no-cache' } },
  ];
  const rates: string[] = [];
  for (const c of cases) rates.push((await autocannon({ url: c.url, headers: c.headers ?? {}, connections: 10, duration: DURATION })).requests.average.toFixed(0));
  return `visitor thread ${rates[0]}, visitor circle ${rates[1]}, member thread ${rates[2]}, member circle ${rates[3]}, thread afresh ${rates[4]} req/s`;
}

async function emptyPostgres(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/test|bench/i.test(name)) throw new Error(`The benchmark empties its database: "${name}" must contain "test" or "bench".`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await client.end();
}

const target = (rss: number, limit: number) => `   target ≤ ${limit} MiB: ${rss / MiB <= limit ? 'met' : 'NOT met'}`;
const line = (what: string, m: { rss: number; peak: number }, limit?: number) =>
  `${label(`  ${what}`)} RSS ${mib(m.rss).padStart(10)}   (peak ${mib(m.peak)})${limit ? target(m.rss, limit) : ''}`;

async function serverMemory(): Promise<string[]> {
  const lines = ['(b) a Hearth server (node dist/src/server.js, as npm start runs it), idle once its memory settles'];
  const after: string[] = [`(c) the same server after read load (autocannon, 10 connections, ${DURATION}s on each of 5 pages: visitor and member thread and circle pages, thread page afresh)`];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-memory-'));
  const pglite = { DATA_DIR: dataDir, DATABASE_URL: '' };
  if (PARTS.has('pglite')) try {
    let server = await startServer(pglite);
    lines.push(line('PGlite: right after the very first start on a new data folder', await settledRss(server.child.pid!), TARGETS.pgliteFirstStart));
    await stopServer(server);
    server = await startServer(pglite);
    lines.push(line('PGlite: after a restart on the same folder', await settledRss(server.child.pid!)));
    await stopServer(server);
    const threadPath = await seed(pglite);
    server = await startServer(pglite);
    const rates = await readLoad(server, threadPath);
    after.push(line('PGlite: after the read load', await settledRss(server.child.pid!), TARGETS.pgliteAfterLoad), `    (PGlite read load: ${rates})`);
    await stopServer(server);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!PARTS.has('pg')) {
    // not asked for
  } else if (url) {
    await emptyPostgres(url);
    const postgres = { DATABASE_URL: url };
    let server = await startServer(postgres);
    lines.push(line('PostgreSQL: idle after start (empty database, migrations applied)', await settledRss(server.child.pid!)));
    await stopServer(server);
    const threadPath = await seed(postgres);
    server = await startServer(postgres);
    const rates = await readLoad(server, threadPath);
    after.push(line('PostgreSQL: after the read load', await settledRss(server.child.pid!), TARGETS.pgAfterLoad), `    (PostgreSQL read load: ${rates})`);
    await stopServer(server);
  } else {
    lines.push('  PostgreSQL: set DATABASE_URL (a database named …bench… or …test…: it is emptied)');
  }
  return [...lines, ...after];
}

async function main(): Promise<void> {
  console.log(`Hearth memory, Node ${process.version}, ${os.availableParallelism()} cores (RSS of one process; MiB = 2^20 bytes)${NODE_FLAGS.length ? `; server flags: ${NODE_FLAGS.join(' ')}` : ''}`);
  if (PARTS.has('deps')) for (const l of await dependencyCosts()) console.log(l);
  for (const l of await serverMemory()) console.log(l);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
