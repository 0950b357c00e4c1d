/**
 * The outbox benchmark's Hearth process (bench/outbox.ts forks it): circles
 * with 0, 1,000 (on 50 inboxes), 5,000 (on 500 inboxes) and 10,000 (on
 * 1,000 inboxes) followers at the parent's sink, seeded in bulk in apex's
 * stored form. It serves HTTP on PORT (the parent posts the replies it times,
 * as a member's browser does); on "settle" it lets the outbox worker finish
 * and drops the queued deliveries; on "fan-out" it starts one thread in the
 * 10,000-follower circle with the delivery worker running.
 */
import { once } from 'node:events';
import { createHearth } from '../src/app.js';
import { sameLimitEverywhere } from '../src/web/rate-limits.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { migrate } from '../src/storage/migrate.js';
import type { Database } from '../src/storage/database.js';
import { openBenchDatabase } from './bench-database.js';
import { CIRCLES, PASSWORD } from './outbox.js';

const GENEROUS = { windowMs: 60_000, limit: 1_000_000 };

async function seedFollowers(db: Database, sink: string, circleIri: string, slug: string, followers: number, inboxes: number): Promise<void> {
  if (followers === 0) return;
  await db.query(
    `INSERT INTO ap_objects (id, type, doc)
     SELECT a, 'Person', jsonb_build_object('id', a, 'type', 'Person', 'inbox', jsonb_build_array(a || '/inbox'),
              'endpoints', jsonb_build_array(jsonb_build_object('sharedInbox', jsonb_build_array(h || '/inbox'))),
              'preferredUsername', jsonb_build_array('u' || i))
     FROM generate_series(0, $3::int - 1) AS i,
          LATERAL (SELECT $1 || '/' || $2 || '-h' || (i % $4::int) AS h) AS hh,
          LATERAL (SELECT h || '/users/u' || i AS a) AS aa`,
    [sink, slug, followers, inboxes],
  );
  await db.query(
    `INSERT INTO ap_activities (id, actor_ids, object_ids, collections, doc, meta)
     SELECT a || '/follow', ARRAY[a], ARRAY[$5::text], ARRAY[$5 || '/followers'],
            jsonb_build_object('id', a || '/follow', 'type', 'Follow', 'actor', jsonb_build_array(a), 'object', jsonb_build_array($5::text)),
            jsonb_build_object('collection', jsonb_build_array($5 || '/followers'))
     FROM generate_series(0, $3::int - 1) AS i,
          LATERAL (SELECT $1 || '/' || $2 || '-h' || (i % $4::int) || '/users/u' || i AS a) AS aa`,
    [sink, slug, followers, inboxes, circleIri],
  );
}

async function main(): Promise<void> {
  const sink = process.env.SINK_ORIGIN!;
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
  const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: PASSWORD } });
  const threadIds = new Map<string, number>();
  for (const c of CIRCLES) {
    await services.circles.create(steward!, { slug: c.slug, name: `Circle ${c.slug}` });
    await seedFollowers(db, sink, `${origin}/c/${c.slug}`, c.slug, c.followers, c.inboxes);
    const { thread } = await services.threads.startThread(steward!, c.slug, { title: 'Replies come here', body: 'Hello' });
    threadIds.set(c.slug, thread.id);
  }
  await hearth.federation.settled();
  await db.exec('DELETE FROM ap_deliveries; DELETE FROM ap_delivery_bodies');
  const server = hearth.app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  process.stdout.write(`${JSON.stringify({ database: db.kind, threads: Object.fromEntries(threadIds) })}\n`);

  process.on('message', (message) => {
    void (async () => {
      if (message === 'settle') {
        // Between the reply cases (untimed): the outbox worker finishes what the
        // last case queued, and the queued deliveries are dropped (the delivery
        // worker is not started during the replies, so the sink's load does
        // not share the two cores).
        await hearth.federation.settled();
        await db.exec('DELETE FROM ap_deliveries; DELETE FROM ap_delivery_bodies');
        process.send?.({ settled: true });
      }
      if (message === 'fan-out') {
        hearth.federation.worker.start();
        await services.threads.startThread(steward!, 'ten_thousand', { title: 'Fan-out', body: 'To everyone' });
        process.send?.({ posted: true });
      }
      if (message === 'stop') {
        server.close();
        await hearth.close().then(() => process.exit(0));
      }
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
