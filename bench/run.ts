/**
 * npm run bench: HTTP throughput on loopback, measured in one run so that the
 * ratios compare like with like on a shared, noisy machine. Prints figures;
 * asserts nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { federationBenchmark } from './federation.js';
import { untrustedInputBenchmark } from './untrusted-input.js';

interface Ports {
  hearth: number;
  bare: number;
  threadPath: string;
  database: string;
}

interface Figures {
  name: string;
  rps: number;
  p99: number;
  errors: number;
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Figures> {
  // A short warm-up so that caches and JIT are in the same state for every case.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 1 });
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  return { name, rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function startServer(): Promise<{ child: ChildProcess; ports: Ports }> {
  const child = fork(fileURLToPath(new URL('./server.js', import.meta.url)), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, ports: JSON.parse(line) as Ports };
}

async function main(): Promise<void> {
  const { child, ports } = await startServer();
  const base = `http://127.0.0.1:${ports.hearth}`;
  const a = await measure('(a) bare Express route', `http://127.0.0.1:${ports.bare}/`);
  const b = await measure('(b) thread page, 50 replies', `${base}${ports.threadPath}`);
  // (b) and (c) are what visitors who are not logged in get: served from the page cache after the first render.
  const c = await measure('(c) circle page, 50 threads', `${base}/c/busy`);
  // The same pages rendered afresh every time (what a logged-in member or a hard reload gets).
  const noCache = { 'Cache-Control': 'no-cache' };
  const bFresh = await measure('(b) rendered afresh', `${base}${ports.threadPath}`, noCache);
  const cFresh = await measure('(c) rendered afresh', `${base}/c/busy`, noCache);
  child.send('memory');
  const [{ rss }] = (await once(child, 'message')) as [{ rss: number }];
  child.send('stop');

  console.log(`Hearth benchmark on ${ports.database}, ${CONNECTIONS} connections, ${DURATION}s per case`);
  for (const f of [a, b, c, bFresh, cFresh]) {
    console.log(`${f.name.padEnd(32)} ${f.rps.toFixed(0).padStart(7)} req/s   p99 ${String(f.p99).padStart(4)} ms${f.errors ? `   ${f.errors} errors` : ''}`);
  }
  console.log(`ratio b/a ${(b.rps / a.rps).toFixed(3)}   (target ≥ 0.5 on PostgreSQL)`);
  console.log(`ratio c/a ${(c.rps / a.rps).toFixed(3)}`);
  console.log(`rendered afresh: b/a ${(bFresh.rps / a.rps).toFixed(3)}, c/a ${(cFresh.rps / a.rps).toFixed(3)}`);
  console.log(`server RSS after the run: ${(rss / 1024 / 1024).toFixed(1)} MiB`);
  console.log('');
  for (const line of await federationBenchmark(DURATION)) console.log(line);
  console.log('');
  for (const line of await untrustedInputBenchmark()) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
