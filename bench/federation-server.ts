/**
 * The federation benchmark's Hearth process: a circle whose 1,000 followers
 * (on other servers) share 50 inboxes at the sink the parent runs, and a
 * remote actor whose signed activities the parent sends to the inbox.
 * Reports its origin on stdout; on "post" it starts a thread and reports.
 */
import { createHearth } from '../src/app.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { migrate } from '../src/storage/migrate.js';
import { openBenchDatabase } from './bench-database.js';

const GENEROUS = { windowMs: 60_000, limit: 1_000_000 };

async function main(): Promise<void> {
  const sink = process.env.SINK_ORIGIN!;
  const remoteActor = JSON.parse(process.env.REMOTE_ACTOR!) as Record<string, unknown> & { id: string };
  const port = Number(process.env.PORT);
  const origin = `http://127.0.0.1:${port}`;
  const db = await openBenchDatabase();
  await migrate(db);
  const hearth = await createHearth({
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: origin, FEDERATION_ALLOW_HTTP: '1', FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1' }),
    db,
    passwordHasher: argon2Hasher('light'),
    rateLimits: sameLimitEverywhere(GENEROUS),
  });
  const { services } = hearth;
  const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: 'a long enough password' } });
  await services.circles.create(steward!, { slug: 'busy', name: 'Busy circle' });
  const { post } = await services.threads.startThread(steward!, 'busy', { title: 'Replies come here', body: 'Hello' });
  const circleIri = `${origin}/c/busy`;

  // 1,000 followers over 50 shared inboxes, in apex's stored (compacted) form.
  const store = hearth.federation.store;
  for (let i = 0; i < 1000; i++) {
    const host = i % 50;
    const id = `${sink}/h${host}/users/u${i}`;
    await store.saveObject({ id, type: 'Person', inbox: [`${sink}/h${host}/users/u${i}/inbox`], endpoints: [{ sharedInbox: [`${sink}/h${host}/inbox`] }], preferredUsername: [`u${i}`] });
    await store.saveActivity({ id: `${id}/follow`, type: 'Follow', actor: [id], object: [circleIri], _meta: { collection: [`${circleIri}/followers`] } });
  }
  // The remote sender of the inbox benchmark, known already (as after a first contact).
  await store.saveObject({
    id: remoteActor.id,
    type: 'Person',
    inbox: [`${remoteActor.id}/inbox`],
    preferredUsername: ['sender'],
    publicKey: [{ id: `${remoteActor.id}#main-key`, owner: [remoteActor.id], publicKeyPem: [remoteActor.publicKeyPem] }],
  });
  await db.exec('DELETE FROM ap_deliveries; DELETE FROM ap_delivery_bodies');

  const server = hearth.app.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  hearth.startBackgroundJobs();
  process.stdout.write(`${JSON.stringify({ origin, postIri: `${origin}/p/${post.id}`, database: db.kind })}\n`);
  process.on('message', (message) => {
    if (message === 'post') {
      void services.threads.startThread(steward!, 'busy', { title: 'Fan-out', body: 'To everyone' }).then(() => process.send?.('posted'));
    }
    // Everything accepted so far applied (the durable inbox drained, replies placed and announced).
    if (message === 'settle') void hearth.federation.settled().then(() => process.send?.('settled'));
    if (message === 'stop') void hearth.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
