/**
 * Federation figures for npm run bench: fan-out of one new thread to 1,000
 * followers over 50 inboxes (a local sink counts the requests), and inbox
 * throughput: signed Likes and signed Create(Note) replies, verified and
 * accepted per second, and how fast all of them were applied.
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
  // What came later (replies' announcements) is not part of this figure.
  const fanOutDeliveries = received;

  // Inbox: signed activities from one known remote actor, 10 at a time, for
  // `seconds`; then until every accepted one has been applied (the durable
  // inbox's worker: a Like counted, a reply sanitised, placed and announced
  // to the circle's followers).
  const settledNow = async () => {
    child.send('settle');
    await once(child, 'message');
  };
  const inboxRun = async (inbox: URL, activity: (n: number) => Record<string, unknown>) => {
    let accepted = 0;
    let refused = 0;
    let n = 0;
    const until = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < until) {
        const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', ...activity(n++) });
        const headers = signRequest({ method: 'POST', url: inbox, body, keyId: `${sender}#main-key`, privateKeyPem: keys.privateKey });
        const res = await fetch(inbox, { method: 'POST', headers: { ...headers, 'content-type': 'application/activity+json' }, body });
        await res.arrayBuffer();
        if (res.status >= 200 && res.status < 300) accepted++;
        else refused++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 10 }, worker));
    const acceptedMs = performance.now() - t0;
    await settledNow();
    const appliedMs = performance.now() - t0;
    return { accepted, refused, perSecond: accepted / (acceptedMs / 1000), appliedPerSecond: accepted / (appliedMs / 1000) };
  };
  const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
  const likes = await inboxRun(new URL(`${info.origin}/inbox`), (n) => ({ id: `${sender}/likes/${n}`, type: 'Like', actor: sender, object: info.postIri }));
  const replies = await inboxRun(new URL(`${info.origin}/u/river/inbox`), (n) => {
    const note = { id: `${sender}/notes/${n}`, type: 'Note', attributedTo: sender, inReplyTo: info.postIri, content: `<p>Reply ${n}: you are not alone in this.</p>`, to: [PUBLIC], published: new Date().toISOString() };
    return { id: `${sender}/notes/${n}/activity`, type: 'Create', actor: sender, object: note, to: [PUBLIC] };
  });
  const inboxLine = (what: string, r: typeof likes) =>
    `inbox, ${what}: ${r.perSecond.toFixed(0)} per second verified and accepted; all ${r.accepted} applied at ${r.appliedPerSecond.toFixed(0)} per second${r.refused ? ` (${r.refused} refused)` : ''}`;

  child.send('stop');
  await once(child, 'exit');
  await new Promise((r) => sink.close(r));
  return [
    `Federation on ${info.database}`,
    `fan-out of one new thread to 1,000 followers on 50 inboxes: ${fanOutDeliveries} deliveries in ${fanOutMs.toFixed(0)} ms`,
    inboxLine('signed Likes of a post', likes),
    inboxLine('signed Create(Note) replies to a post (each placed, then announced to the circle’s 1,000 followers)', replies),
  ];
}
