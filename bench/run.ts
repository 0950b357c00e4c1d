/**
 * npm run bench: HTTP throughput on loopback, measured in one run so that the
 * ratios compare like with like on a shared, noisy machine. Prints figures;
 * asserts nothing.
 *
 * Members' pages (issue 11), PostgreSQL, 10 connections, 5 s, base and this
 * branch run back to back on the shared 2-core machine (ratios move with its
 * load; compare the pairs):
 *   before (003b4da): thread page 44–51 req/s (0.015–0.027× bare), 15 SQL
 *                     statements per request; circle page 49–58 req/s
 *                     (0.017–0.032× bare), 15 statements
 *   after:            thread page 47–70 req/s (0.018–0.023× bare), 14
 *                     statements; circle page 78–99 req/s (0.026–0.039×
 *                     bare), 13 statements
 * What changed: statements prepared once per connection (PostgreSQL's work
 * per page halved), a re-read thread no longer writes its read mark (no
 * transaction id, WAL or flush per reading), dates and {{t}} words worded once,
 * partials gathered once, the circle looked up once, a thread's lock and the
 * reader's blocks in one statement. Still short of 0.15×: rendering a 50-post
 * page in Handlebars (~7 ms CPU) and each member request's fixed cost (session,
 * passport, instance, break and unread count: ~6 ms) dominate.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { federationBenchmark } from './federation.js';
import { untrustedInputBenchmark } from './untrusted-input.js';
import { notificationsBenchmark } from './notifications.js';
import { searchBenchmark } from './search.js';

interface Ports {
  hearth: number;
  bare: number;
  threadPath: string;
  database: string;
  memberCookie: string;
}

interface Figures {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  /** Bare Express's requests per second measured just before this case (the machine is shared and its speed drifts). */
  bare?: number;
  /** How that bare figure was measured, when not "just before". */
  bareWhen?: string;
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

// The same member asking for the same unchanged page again and again: after
// the first request it is sent from their kept page (src/web/member-pages.ts).
const MEMBER_THREAD_AGAIN = 'member: thread page, 50 posts, unchanged (their kept page)';
const MEMBER_CIRCLE_AGAIN = 'member: circle page, 20 of 50 threads, unchanged (kept page)';
// Cache-Control: no-cache (a hard reload): read and rendered for every request, as on a first visit.
const MEMBER_THREAD_RENDERED = 'member: thread page, 50 posts, rendered each time (no-cache)';
const MEMBER_CIRCLE_RENDERED = 'member: circle page, 20 of 50 threads, rendered each time';
const CONNECTIONS = 10;

interface Target {
  url: string;
  headers?: Record<string, string>;
  connections?: number;
  method?: 'GET' | 'POST';
  body?: string;
}

async function cannon(t: Target, duration: number) {
  return autocannon({ url: t.url, headers: t.headers ?? {}, connections: t.connections ?? CONNECTIONS, duration, method: t.method ?? 'GET', ...(t.body ? { body: t.body } : {}) });
}

/**
 * A case and, just before it, the bare Express route: its ratio is to that
 * bare figure, so a machine whose speed drifts during the run (other work on
 * a shared machine) moves both alike.
 */
async function paired(bareUrl: string, name: string, ...targets: Target[]): Promise<Figures> {
  const bare = await measure('bare', { url: bareUrl });
  return { ...(await measure(name, ...targets)), bare: bare.rps };
}

function line(f: Figures, a: Figures): string {
  const against = f.bare ?? a.rps;
  const ratio = f === a ? '' : `   ${(f.rps / against).toFixed(3)}× bare${f.bare ? ` (${f.bare.toFixed(0)} req/s ${f.bareWhen ?? 'just before'})` : ''}`;
  return `${f.name.padEnd(66)} ${f.rps.toFixed(0).padStart(7)} req/s   p99 ${String(f.p99).padStart(4)} ms${ratio}${f.errors ? `   ${f.errors} errors` : ''}`;
}

/** Requests per second of `targets` run at once (summed), after a short warm-up. */
async function measure(name: string, ...targets: Target[]): Promise<Figures> {
  // A short warm-up so that caches and JIT are in the same state for every case.
  await Promise.all(targets.map((t) => cannon(t, 1)));
  const results = await Promise.all(targets.map((t) => cannon(t, DURATION)));
  return {
    name,
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
  };
}

async function startServer(env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ports: Ports }> {
  const child = fork(fileURLToPath(new URL('./server.js', import.meta.url)), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
    execArgv: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, ports: JSON.parse(line) as Ports };
}

/** SQL statements the server sent for one request to `target` (after a warm-up request). */
async function statementsPerRequest(child: ChildProcess, target: Target): Promise<{ count: number; log: string[] }> {
  await fetch(target.url, { headers: target.headers });
  child.send('sql');
  await once(child, 'message');
  const res = await fetch(target.url, { headers: target.headers });
  await res.text();
  // Work the request started after its answer (a session's touch) counts too.
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.send('sql');
  const [counts] = (await once(child, 'message')) as [{ count: number; log: string[] }];
  return counts;
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.send('stop');
  await exited;
}

/** Refused inbox traffic (unsigned activities: 401), as arrives from a busy fediverse. */
function inboxTraffic(base: string): Target {
  const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: 'https://elsewhere.example/a/1', type: 'Like', actor: 'https://elsewhere.example/u/x', object: `${base}/c/long` });
  return { url: `${base}/c/busy/inbox`, method: 'POST', body, headers: { 'content-type': 'application/activity+json' }, connections: 4 };
}

async function main(): Promise<void> {
  const { child, ports } = await startServer();
  const base = `http://127.0.0.1:${ports.hearth}`;
  const member = { cookie: ports.memberCookie };
  const thread = `${base}${ports.threadPath}`;
  const circle = `${base}/c/busy`;
  const figures: Figures[] = [];
  const statements: string[] = [];
  const rendered = { ...member, 'Cache-Control': 'no-cache' };
  for (const [name, url] of [['member: thread page', thread], ['member: circle page', circle]] as const) {
    for (const [how, headers] of [['rendered', rendered], ['sent again (kept)', member]] as const) {
      const { count, log } = await statementsPerRequest(child, { url, headers });
      statements.push(`${name}, ${how}: ${count} SQL statements per request`);
      if (log.length) statements.push(...log.map((s) => `    ${s}`));
    }
  }
  const bareUrl = `http://127.0.0.1:${ports.bare}/`;
  const a = await measure('bare Express: GET / ("hello")', { url: bareUrl });
  figures.push(a);
  // BENCH_MEMBERS_ONLY=1: only the members' pages (quicker, while working on them).
  if (process.env.BENCH_MEMBERS_ONLY) {
    figures.push(await paired(bareUrl, MEMBER_THREAD_AGAIN, { url: thread, headers: member }));
    figures.push(await paired(bareUrl, MEMBER_CIRCLE_AGAIN, { url: circle, headers: member }));
    figures.push(await paired(bareUrl, MEMBER_THREAD_RENDERED, { url: thread, headers: rendered }));
    figures.push(await paired(bareUrl, MEMBER_CIRCLE_RENDERED, { url: circle, headers: rendered }));
    await stopServer(child);
    for (const f of figures) console.log(line(f, a));
    for (const l of statements) console.log(l);
    return;
  }
  figures.push(await paired(bareUrl, 'visitor: thread page, 50 posts (page cache)', { url: thread }));
  figures.push(await paired(bareUrl, 'visitor: circle page, 20 of 50 threads (page cache)', { url: circle }));
  figures.push(await paired(bareUrl, MEMBER_THREAD_AGAIN, { url: thread, headers: member }));
  figures.push(await paired(bareUrl, MEMBER_CIRCLE_AGAIN, { url: circle, headers: member }));
  figures.push(await paired(bareUrl, MEMBER_THREAD_RENDERED, { url: thread, headers: rendered }));
  figures.push(await paired(bareUrl, MEMBER_CIRCLE_RENDERED, { url: circle, headers: rendered }));
  figures.push(await paired(bareUrl, 'visitor, rendered afresh (no-cache): thread page, 50 posts', { url: thread, headers: { 'Cache-Control': 'no-cache' } }));

  // Visitors while refused inbox requests arrive (4 more connections posting
  // unsigned activities to the same process). Bare Express runs in that
  // process too, so it is measured under the same traffic: the ratio says
  // whether the page cache holds up, not how much CPU the inbox takes.
  const inbox = inboxTraffic(base);
  const [bareDuring] = await Promise.all([measure('bare', { url: bareUrl }), cannon(inbox, DURATION + 1)]);
  const [during, inboxDuring] = await Promise.all([
    measure('visitor: thread page, 50 posts, during inbox traffic (bare also)', { url: thread }),
    cannon(inbox, DURATION + 1),
  ]);
  figures.push({ ...during, bare: bareDuring.rps, bareWhen: 'under the same inbox traffic' });
  const refusedPerSecond = inboxDuring.requests.average;

  child.send('memory');
  const [{ rss }] = (await once(child, 'message')) as [{ rss: number }];

  // Two processes on one database against one (PostgreSQL only: the embedded database allows one process).
  let two: { one: Figures; two: Figures } | undefined;
  if (ports.database === 'pg') {
    const second = await startServer({ BENCH_JOIN: '1' });
    const other = `http://127.0.0.1:${second.ports.hearth}${ports.threadPath}`;
    const one = await paired(bareUrl, 'member: thread page, 50 posts, rendered, one process (10 conn.)', { url: thread, headers: rendered });
    const both = await paired(bareUrl, 'member: thread page, 50 posts, rendered, two processes (5 each)', { url: thread, headers: rendered, connections: 5 }, { url: other, headers: rendered, connections: 5 });
    two = { one, two: both };
    await stopServer(second.child);
  }
  await stopServer(child);

  console.log(`Hearth benchmark on ${ports.database}, ${CONNECTIONS} connections, ${DURATION}s per case; each ratio is to the bare Express route measured just before that case`);
  for (const f of [...figures, ...(two ? [two.one, two.two] : [])]) console.log(line(f, a));
  console.log(`(inbox traffic meanwhile: ${refusedPerSecond.toFixed(0)} refused unsigned activities per second on 4 connections)`);
  console.log('targets: visitors ≥ 0.5× bare on PostgreSQL; members ≥ 0.15× bare (met by a member’s unchanged page sent again, not by a page rendered each time)');
  for (const l of statements) console.log(l);
  if (two) console.log(`two processes / one process, member thread page rendered each time: ${(two.two.rps / two.one.rps).toFixed(2)}×`);
  else console.log('two processes vs one: PostgreSQL only (set DATABASE_URL)');
  const rssTarget = ports.database === 'pg' ? 200 : 350;
  console.log(`server RSS after the page cases (first process, ${ports.database}): ${(rss / 1024 / 1024).toFixed(1)} MiB   target ≤ ${rssTarget} MiB (this process is the benchmark's own, without npm start's heap flags; npm run bench:memory measures the real server on both databases)`);
  // BENCH_PAGES_ONLY=1: the pages and processes above, without the federation, input, notification and search cases.
  if (process.env.BENCH_PAGES_ONLY) return;
  console.log('');
  for (const line of await federationBenchmark(DURATION)) console.log(line);
  console.log('');
  for (const line of await untrustedInputBenchmark()) console.log(line);
  console.log('');
  for (const line of await notificationsBenchmark(DURATION)) console.log(line);
  for (const line of await searchBenchmark()) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
