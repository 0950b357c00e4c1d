/**
 * Federation figures for npm run bench: fan-out of one new thread to 1,000
 * followers over 50 inboxes (a local sink counts the requests), and inbox
 * throughput (signed activities verified and processed per second).
 */
import { fork } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { signRequest } from '../src/federation/http-signatures.js';

async function freePort(): Promise<number> {
  const s = http.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export async function federationBenchmark(seconds: number): Promise<string[]> {
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

  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const sender = `${sinkOrigin}/sender`;
  const port = await freePort();
  const child = fork(fileURLToPath(new URL('./federation-server.js', import.meta.url)), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, PORT: String(port), SINK_ORIGIN: sinkOrigin, REMOTE_ACTOR: JSON.stringify({ id: sender, publicKeyPem: keys.publicKey }) },
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as { origin: string; postIri: string; database: string };

  // Fan-out: 2 announces (the Note and the Create) to 50 shared inboxes.
  expected = 100;
  const arrived = new Promise<void>((r) => (allArrived = r));
  const started = performance.now();
  child.send('post');
  await arrived;
  const fanOutMs = performance.now() - started;

  // Inbox: signed Likes from one known remote actor, 10 at a time.
  let done = 0;
  let refused = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const inbox = new URL(`${info.origin}/inbox`);
  const worker = async () => {
    while (performance.now() < until) {
      const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${sender}/likes/${n++}`, type: 'Like', actor: sender, object: info.postIri });
      const headers = signRequest({ method: 'POST', url: inbox, body, keyId: `${sender}#main-key`, privateKeyPem: keys.privateKey });
      const res = await fetch(inbox, { method: 'POST', headers: { ...headers, 'content-type': 'application/activity+json' }, body });
      await res.arrayBuffer();
      if (res.status === 202) done++;
      else refused++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 10 }, worker));
  const inboxPerSecond = done / ((performance.now() - t0) / 1000);

  child.send('stop');
  await once(child, 'exit');
  await new Promise((r) => sink.close(r));
  return [
    `Federation on ${info.database}`,
    `fan-out of one new thread to 1,000 followers on 50 inboxes: ${received} deliveries in ${fanOutMs.toFixed(0)} ms`,
    `inbox: ${inboxPerSecond.toFixed(0)} signed activities verified and processed per second${refused ? ` (${refused} refused)` : ''}`,
  ];
}
