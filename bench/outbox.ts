/**
 * npm run bench:outbox — what federation costs a member's request, and how
 * fast one thread reaches 10,000 followers.
 *  - reply response time (p50/p99) in circles with 0, 1,000 (on 50 inboxes)
 *    and 5,000 (on 500 inboxes) followers; target: 5,000 within 1.5× of 0.
 *  - time from starting a thread until every delivery to 10,000 followers on
 *    1,000 inboxes (2 announces each) reached a loopback sink.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

async function freePort(): Promise<number> {
  const s = http.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
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
  const child = fork(fileURLToPath(new URL('./outbox-server.js', import.meta.url)), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, PORT: String(await freePort()), SINK_ORIGIN: sinkOrigin },
  });
  child.once('exit', (code) => {
    if (code !== 0) {
      console.error(`the benchmark's Hearth process stopped (${code})`);
      process.exit(1);
    }
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as { database: string };
  const next = () => once(child, 'message').then(([m]) => m as Record<string, unknown>);

  child.send('replies');
  const replies = (await next()).replies as Replies;

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
