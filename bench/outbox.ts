/**
 * npm run bench:outbox — what federation costs a member's request, and how
 * fast one thread reaches 10,000 followers.
 *  - reply response time (p50/p99) in circles with 0, 1,000 (on 50 inboxes)
 *    and 5,000 (on 500 inboxes) followers; target: 5,000 within 1.5× of 0.
 *    Timed here, in another process, as the member's browser sees it: from
 *    sending the reply form (POST, logged in, with its CSRF and one-time
 *    tokens) until the 303 to the new post has arrived. The replies follow
 *    each other at once, so the outbox worker turns earlier ones into
 *    activities and deliveries while later ones are answered.
 *  - time from starting a thread until every delivery to 10,000 followers on
 *    1,000 inboxes (2 announces each) reached a loopback sink.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_PASSWORD, logIn } from './seed.js';

async function freePort(): Promise<number> {
  const s = http.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** The circles outbox-server.ts makes; replies are timed in the first three. */
export const CIRCLES = [
  { slug: 'none', followers: 0, inboxes: 0 },
  { slug: 'thousand', followers: 1_000, inboxes: 50 },
  { slug: 'five_thousand', followers: 5_000, inboxes: 500 },
  { slug: 'ten_thousand', followers: 10_000, inboxes: 1_000 },
] as const;
export const PASSWORD = BENCH_PASSWORD;
const REPLIES = Number(process.env.BENCH_REPLIES ?? 60);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;


/** A member replying from the thread's page: the CSRF token from the page once, a new one-time token per reply (as each page view makes one). */
async function replier(origin: string) {
  const cookie = await logIn(origin, 'river');
  let csrf: string | undefined;
  return async (slug: string, threadId: number, body: string): Promise<number> => {
    const path = `/c/${slug}/t/${threadId}`;
    csrf ??= /name="_csrf" value="([^"]+)"/.exec(await (await fetch(`${origin}${path}`, { headers: { cookie } })).text())![1]!;
    const form = new URLSearchParams({ body, _csrf: csrf, _once: randomBytes(18).toString('base64url') }).toString();
    const t0 = performance.now();
    const res = await fetch(`${origin}${path}/reply`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const answer = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 303) throw new Error(`a reply was answered ${res.status}, not 303: ${answer.replace(/\s+/g, ' ').slice(0, 2000)}`);
    return ms;
  };
}

type Replies = Record<string, { p50: number; p99: number; n: number }>;

export async function outboxBenchmark(): Promise<string[]> {
  let received = 0;
  let expected = Infinity;
  let allArrived: () => void = () => undefined;
  const sink = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 202;
      res.end();
      if (++received >= expected) allArrived();
    });
  });
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  const sinkOrigin = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const port = await freePort();
  const child = fork(fileURLToPath(new URL('./outbox-server.js', import.meta.url)), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
    env: { ...process.env, PORT: String(port), SINK_ORIGIN: sinkOrigin },
  });
  child.once('exit', (code) => {
    if (code !== 0) {
      console.error(`the benchmark's Hearth process stopped (${code})`);
      process.exit(1);
    }
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as { database: string; threads: Record<string, number> };
  const next = () => once(child, 'message').then(([m]) => m as Record<string, unknown>);

  const origin = `http://127.0.0.1:${port}`;
  const reply = await replier(origin);
  // Warm-up (JIT, caches, pools), not counted.
  for (let i = 0; i < 10; i++) await reply('none', info.threads.none!, `Warm-up ${i}.`);
  const replies: Replies = {};
  for (const c of CIRCLES.slice(0, 3)) {
    child.send('settle');
    await next();
    const times: number[] = [];
    for (let i = 0; i < REPLIES; i++) times.push(await reply(c.slug, info.threads[c.slug]!, `Reply ${i}: some words about a hard week.`));
    times.sort((a, b) => a - b);
    replies[c.slug] = { p50: percentile(times, 50), p99: percentile(times, 99), n: times.length };
  }
  child.send('settle');
  await next();

  received = 0;
  expected = 2 * 1_000;
  const arrived = new Promise<void>((r) => (allArrived = r));
  const t0 = performance.now();
  child.send('fan-out');
  await arrived;
  const fanOutMs = performance.now() - t0;

  child.send('stop');
  await once(child, 'exit');
  await new Promise((r) => sink.close(r));
  const row = (label: string, r: { p50: number; p99: number; n: number }) =>
    `reply response time, ${label}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.n} replies)`;
  const ratio = replies['five_thousand']!.p50 / replies.none!.p50;
  return [
    `Outbox on ${info.database}`,
    row('0 followers', replies.none!),
    row('1,000 followers on 50 inboxes', replies.thousand!),
    row('5,000 followers on 500 inboxes', replies['five_thousand']!),
    `p50 ratio 5,000 followers / 0 followers: ${ratio.toFixed(2)} (target ≤ 1.5)`,
    `one new thread to 10,000 followers on 1,000 inboxes: all ${received} deliveries at the loopback sink after ${fanOutMs.toFixed(0)} ms`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const l of await outboxBenchmark()) console.log(l);
}
