import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { claim } from '../../../src/federation/apex-store/delivery-queue.js';
import { PostgresApexStore } from '../../../src/federation/apex-store/postgres-apex-store.js';
import { DeliveryWorker } from '../../../src/federation/delivery-worker.js';
import { readSignature } from '../../../src/federation/http-signatures.js';
import { createLogger } from '../../../src/logger.js';
import type { Database } from '../../../src/storage/database.js';
import { resetDatabase, testDatabase } from '../../helpers/database.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const POLICY = { allowHttp: true, allowPrivateAddresses: true, timeoutMs: 2000, maxBytes: 100_000 };

describe('delivering to other servers', () => {
  let db: Database;
  let store: PostgresApexStore;
  let server: http.Server;
  let inbox: string;
  let answer = 503;
  const got: Array<{ body: string; signed: boolean }> = [];

  beforeEach(async () => {
    db = await testDatabase();
    await resetDatabase(db);
    store = new PostgresApexStore({ db });
    got.length = 0;
    answer = 503;
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (answer < 300) got.push({ body: Buffer.concat(chunks).toString(), signed: typeof readSignature({ method: 'POST', path: req.url!, headers: req.headers }) !== 'string' });
        res.statusCode = answer;
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    inbox = `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`;
  });
  afterEach(() => new Promise((r) => server.close(r)));

  const worker = (leaseMs = 60_000) =>
    new DeliveryWorker({ db, policy: POLICY, logger: createLogger('silent'), userAgent: 'Hearth/test', leaseMs });
  const due = () => db.query("UPDATE ap_deliveries SET next_attempt_at = now() - interval '1 second'");
  const pending = async () => (await db.query<{ attempt: number }>('SELECT attempt FROM ap_deliveries')).map((r) => r.attempt);

  it('retries an inbox that is down, across a restart, until it answers', async () => {
    await store.deliveryEnqueue('https://hearth.example/c/voices', '{"type":"Announce"}', [inbox], keys.privateKey);
    expect(await worker().drain()).to.equal(1);
    expect(await pending()).to.deep.equal([1]);
    // Not due yet: nothing is sent before the backoff passes.
    expect(await worker().drain()).to.equal(0);

    // "Restart": a new worker (as in a new process) finds the delivery in the database.
    answer = 202;
    await due();
    expect(await worker().drain()).to.equal(1);
    expect(got).to.deep.equal([{ body: '{"type":"Announce"}', signed: true }]);
    expect(await pending()).to.deep.equal([]);
  });

  it('takes up a delivery whose worker died mid-way, once its lease runs out', async () => {
    answer = 202;
    await store.deliveryEnqueue('https://hearth.example/c/voices', '{"type":"Create"}', [inbox], keys.privateKey);
    const [claimed] = await claim(db, 1, 60_000); // this "process" dies holding it
    expect(claimed).to.not.equal(undefined);
    expect(await worker().drain()).to.equal(0);
    // Its lease runs out (moved into the past rather than waited for).
    await db.query("UPDATE ap_deliveries SET locked_until = now() - interval '1 second'");
    expect(await worker().drain()).to.equal(1);
    expect(got).to.have.length(1);
  });

  it('drops deliveries a server refuses for good, and keeps those it may take later', async () => {
    answer = 410;
    await store.deliveryEnqueue('https://hearth.example/c/voices', '{}', [inbox], keys.privateKey);
    await worker().drain();
    expect(await pending()).to.deep.equal([]);
    answer = 429;
    await store.deliveryEnqueue('https://hearth.example/c/voices', '{}', [inbox], keys.privateKey);
    await worker().drain();
    expect(await pending()).to.deep.equal([1]);
  });

  it('does not reach private addresses unless allowed', async () => {
    await store.deliveryEnqueue('https://hearth.example/c/voices', '{}', [inbox], keys.privateKey);
    answer = 202;
    const strict = new DeliveryWorker({ db, policy: { ...POLICY, allowPrivateAddresses: false }, logger: createLogger('silent'), userAgent: 'Hearth/test' });
    await strict.drain();
    expect(got).to.have.length(0);
    const [row] = await db.query<{ last_error: string }>('SELECT last_error FROM ap_deliveries');
    expect(row!.last_error).to.contain('not a public address');
  });

  it('stores an activity for many inboxes once, delivers the same signed body to each, and keeps nothing once all are done', async () => {
    answer = 202;
    const body = '{"type":"Create","object":{"type":"Note","content":"one body"}}';
    const inboxes = [inbox, `${inbox}?b`, `${inbox}?c`];
    await store.deliveryEnqueue('https://hearth.example/u/wren', body, inboxes, keys.privateKey);
    const stored = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ap_delivery_bodies');
    expect(stored[0]!.n, 'one body for three inboxes').to.equal(1);
    const rows = await db.query<{ body: string | null; signing_key: string | null }>('SELECT body, signing_key FROM ap_deliveries');
    expect(rows).to.have.length(3);
    expect(rows.every((r) => r.body === null && r.signing_key === null), 'no copy of the body or key per inbox').to.equal(true);

    expect(await worker().drain()).to.equal(3);
    expect(got.map((g) => g.body)).to.deep.equal([body, body, body]);
    expect(got.every((g) => g.signed)).to.equal(true);
    expect(await pending()).to.deep.equal([]);
    expect(await db.query('SELECT 1 FROM ap_delivery_bodies')).to.have.length(0);
  });

  it('still delivers rows queued with their body inline (before the body table existed)', async () => {
    answer = 202;
    await db.query('INSERT INTO ap_deliveries (address, actor_id, signing_key, body) VALUES ($1, $2, $3, $4)', [
      inbox,
      'https://hearth.example/u/wren',
      keys.privateKey,
      '{"type":"Announce","old":true}',
    ]);
    expect(await worker().drain()).to.equal(1);
    expect(got.map((g) => g.body)).to.deep.equal(['{"type":"Announce","old":true}']);
  });
});
