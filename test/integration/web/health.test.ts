import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hearth } from '../../../src/app.js';
import { claim, complete, MAX_ATTEMPTS, reschedule } from '../../../src/federation/apex-store/delivery-queue.js';
import { freshHearth, memberVisitor, Visitor, withSteward } from '../../helpers/test-hearth.js';

const TOKEN = 'a-metrics-token-long-enough';

async function queue(hearth: Hearth, address: string, attempt = 0, lastError: string | null = null, dueInMs = 3_600_000) {
  await hearth.db.query(
    `INSERT INTO ap_deliveries (address, actor_id, signing_key, body, attempt, last_error, next_attempt_at)
     VALUES ($1, 'http://localhost:3000/u/river', 'key', '{}', $2, $3, now() + ($4::int * interval '1 millisecond'))`,
    [address, attempt, lastError, dueInMs],
  );
}

/** The value of one sample in Prometheus text, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('health: /metrics and the steward Health page', () => {
  let hearth: Hearth;
  let backupDir: string;
  beforeEach(async () => {
    backupDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-health-'));
    hearth = await freshHearth({ env: { METRICS_TOKEN: TOKEN, BACKUP_DIR: backupDir } });
  });
  afterEach(async () => {
    await hearth.close();
    rmSync(backupDir, { recursive: true, force: true });
  });

  describe('/metrics', () => {
    it('answers loopback; through a proxy only with the token, otherwise the ordinary 404', async () => {
      await withSteward(hearth);
      const v = new Visitor(hearth);
      const local = await v.agent.get('/metrics');
      expect(local.status).to.equal(200);
      expect(local.headers['content-type']).to.match(/^text\/plain/);

      const proxied = await v.agent.get('/metrics').set('X-Forwarded-For', '203.0.113.5');
      expect(proxied.status).to.equal(404);
      expect(proxied.text).not.to.contain('hearth_');
      const wrong = await v.agent.get('/metrics').set('X-Forwarded-For', '203.0.113.5').set('Authorization', 'Bearer not-the-token-at-all');
      expect(wrong.status).to.equal(404);
      const right = await v.agent.get('/metrics').set('X-Forwarded-For', '203.0.113.5').set('Authorization', `Bearer ${TOKEN}`);
      expect(right.status).to.equal(200);
      expect(right.text).to.contain('hearth_http_requests_total');
    });

    it('counts requests by route pattern, never the address asked for', async () => {
      const steward = await withSteward(hearth);
      await steward.get('/u/river');
      await steward.get('/u/nobody-here-secret');
      await steward.get('/?q=private-words');
      const text = (await steward.agent.get('/metrics')).text;
      expect(sample(text, 'hearth_http_requests_total', '{method="GET",route="/u/:handle",status="200"}')).to.equal(1);
      expect(sample(text, 'hearth_http_requests_total', '{method="GET",route="/u/:handle",status="404"}')).to.equal(1);
      expect(text).to.match(/hearth_http_request_duration_seconds_bucket\{le="0.5",method="GET",route="\/u\/:handle"\} 2/);
      expect(text).not.to.contain('nobody-here-secret');
      expect(text).not.to.contain('private-words');
      expect(text).not.to.contain('river');
    });

    it('reports the delivery queue by host, the pool, memory and the version', async () => {
      await withSteward(hearth);
      await queue(hearth, 'https://social.example/inbox');
      await queue(hearth, 'https://social.example/users/a/inbox', 3, 'status 502');
      await queue(hearth, 'https://lemmy.example/inbox');
      const text = (await new Visitor(hearth).agent.get('/metrics')).text;
      expect(sample(text, 'hearth_delivery_queue_depth', '{host="social.example"}')).to.equal(2);
      expect(sample(text, 'hearth_delivery_failing', '{host="social.example"}')).to.equal(1);
      expect(sample(text, 'hearth_delivery_queue_depth', '{host="lemmy.example"}')).to.equal(1);
      expect(sample(text, 'hearth_db_pool_connections', '{state="total"}')).to.be.at.least(1);
      expect(sample(text, 'hearth_process_memory_bytes', '{kind="rss"}')).to.be.greaterThan(0);
      expect(text).to.match(/hearth_info\{version="\d+\.\d+\.\d+"\} 1/);

      // The queue's own code: a delivery dropped after its last attempt is counted as given up…
      await queue(hearth, 'https://gone.example/inbox', MAX_ATTEMPTS - 1, 'connect ECONNREFUSED', -1000);
      const [last] = await claim(hearth.db, 10, 60_000);
      expect(last!.address).to.equal('https://gone.example/inbox');
      expect(await reschedule(hearth.db, last!.id, last!.attempt, 'connect ECONNREFUSED')).to.equal(false);
      // …one rescheduled, or one that went through, is not.
      await queue(hearth, 'https://flaky.example/inbox', 3, 'status 502', -1000);
      await queue(hearth, 'https://lemmy.example/other-inbox', 0, null, -1000);
      const batch = await claim(hearth.db, 10, 60_000);
      for (const d of batch) {
        if (d.address.startsWith('https://flaky.')) expect(await reschedule(hearth.db, d.id, d.attempt, 'status 502')).to.equal(true);
        else await complete(hearth.db, d.id);
      }
      await hearth.db.query("DELETE FROM ap_deliveries WHERE address = 'https://lemmy.example/inbox'");
      const after = (await new Visitor(hearth).agent.get('/metrics')).text;
      expect(sample(after, 'hearth_delivery_given_up', '{host="gone.example"}')).to.equal(1);
      expect(sample(after, 'hearth_delivery_queue_depth', '{host="lemmy.example"}')).to.equal(undefined);
      expect(sample(after, 'hearth_delivery_given_up', '{host="lemmy.example"}')).to.equal(undefined);
      expect(sample(after, 'hearth_delivery_given_up', '{host="flaky.example"}')).to.equal(undefined);
      expect(sample(after, 'hearth_delivery_failing', '{host="flaky.example"}')).to.equal(1);
    });

    it('counts incoming activities accepted and refused, by reason', async () => {
      await withSteward(hearth);
      const v = new Visitor(hearth);
      expect((await v.agent.post('/inbox').set('Content-Type', 'text/plain').send('hello')).status).to.equal(415);
      expect((await v.agent.post('/inbox').set('Content-Type', 'application/activity+json').send('{not json')).status).to.equal(400);
      expect((await v.agent.post('/inbox').set('Content-Type', 'application/activity+json').send('{also not')).status).to.equal(400);
      const text = (await v.agent.get('/metrics')).text;
      expect(sample(text, 'hearth_inbox_activities_total', '{outcome="refused",reason="not an activity"}')).to.equal(1);
      expect(sample(text, 'hearth_inbox_activities_total', '{outcome="refused",reason="malformed activity"}')).to.equal(2);
    });
  });

  describe('the Health page', () => {
    it('is for stewards only', async () => {
      await withSteward(hearth);
      const alice = await memberVisitor(hearth, 'alice');
      expect((await alice.get('/steward/health')).status).to.equal(403);
      expect((await new Visitor(hearth).get('/steward/health')).status).to.be.oneOf([302, 303, 401]);
    });

    it('shows deliveries by server with the last error, refusals, the database, the last backup and the version; never cached', async () => {
      const steward = await withSteward(hearth);
      await queue(hearth, 'https://social.example/inbox', 4, 'status 503');
      await steward.agent.post('/inbox').set('Content-Type', 'text/plain').send('hello');
      writeFileSync(path.join(backupDir, 'hearth-20261120T030000Z.jsonl.gz'), 'old');
      writeFileSync(path.join(backupDir, 'hearth-20261125T030000Z.jsonl.gz'), 'newest backup');
      const page = await steward.get('/steward/health');
      expect(page.status).to.equal(200);
      expect(page.headers['cache-control']).to.equal('private, no-store');
      expect(page.text).to.contain('social.example');
      expect(page.text).to.contain('status 503');
      expect(page.text).to.contain('not an activity');
      expect(page.text).to.match(/Database size<\/dt><dd>\d+(\.\d)? (KB|MB|GB)/);
      expect(page.text).to.contain('hearth-20261125T030000Z.jsonl.gz');
      expect(page.text).to.match(/Hearth version<\/dt><dd>\d+\.\d+\.\d+/);
    });

    it("retries a server's deliveries now, through its form", async () => {
      const steward = await withSteward(hearth);
      await queue(hearth, 'https://social.example/inbox', 4, 'status 503');
      await queue(hearth, 'https://social.example/users/b/inbox', 2, 'status 503');
      await queue(hearth, 'https://other.example/inbox', 2, 'status 503');
      const res = await steward.submit('/steward/health', '/steward/health/retry', { host: 'social.example' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/steward/health?retried=2&host=social.example#servers');
      const due = await hearth.db.query<{ address: string }>('SELECT address FROM ap_deliveries WHERE next_attempt_at <= now() ORDER BY address');
      expect(due.map((r) => r.address)).to.deep.equal(['https://social.example/inbox', 'https://social.example/users/b/inbox']);
      expect((await steward.get(res.headers.location as string)).text).to.contain('2 deliveries to social.example will be tried again now');
    });

    it('refuses the retry to someone who is not a steward', async () => {
      await withSteward(hearth);
      await queue(hearth, 'https://social.example/inbox', 4, 'status 503');
      const alice = await memberVisitor(hearth, 'alice');
      const res = await alice.submit('/', '/steward/health/retry', { host: 'social.example' });
      expect(res.status).to.equal(403);
      expect(await hearth.db.query('SELECT 1 FROM ap_deliveries WHERE next_attempt_at <= now()')).to.have.length(0);
    });
  });
});
