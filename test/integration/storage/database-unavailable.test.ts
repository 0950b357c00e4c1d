import { expect } from 'chai';
import supertest from 'supertest';
import { createHearth, type Hearth } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { argon2Hasher } from '../../../src/domain/members/passwords.js';
import { createLogger } from '../../../src/logger.js';
import { resetDatabase, testDatabase } from '../../helpers/database.js';
import { FreezableProxy } from '../../helpers/freezable-proxy.js';
import { eventually } from '../../helpers/test-hearth.js';

describe('when PostgreSQL stops answering without dropping the connection', function () {
  this.timeout(60_000);
  let proxy: FreezableProxy;
  let hearth: Hearth;

  before(async function () {
    const url = process.env.DATABASE_URL;
    if (!url) {
      console.warn('    (skipped: needs a PostgreSQL server; set DATABASE_URL)');
      this.skip();
    }
    await resetDatabase(await testDatabase());
    const target = new URL(url!);
    proxy = new FreezableProxy(target.hostname, Number(target.port || 5432));
    await proxy.listen();
    const proxied = new URL(url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const config = loadConfig({
      PUBLIC_URL: 'http://localhost:3000',
      LOG_LEVEL: 'silent',
      DATABASE_URL: proxied.href,
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      HEALTH_TIMEOUT_MS: '500',
    });
    hearth = await createHearth({ config, logger: createLogger('silent'), passwordHasher: argon2Hasher('light') });
  });

  after(async () => {
    proxy?.unfreeze();
    await hearth?.close();
    await proxy?.close();
  });

  it('answers pages with a calm error and /healthz with 503 instead of hanging, and recovers', async () => {
    const web = supertest(hearth.app);
    expect((await web.get('/healthz')).status).to.equal(200);
    expect((await web.get('/setup').set('Accept', 'text/html')).status).to.equal(200);

    proxy.freeze();
    // Hanging requests would run into supertest's limits below and fail the test.
    const health = await web.get('/healthz').timeout(4_000);
    expect(health.status).to.equal(503);
    expect(health.body).to.deep.equal({ status: 'unavailable', database: 'unreachable' });

    const page = await web.get('/setup').set('Accept', 'text/html').timeout(8_000);
    expect(page.status).to.equal(503);
    expect(page.text).to.contain('Hearth is having trouble just now');
    expect(page.text).to.contain('can’t reach its database just now');

    proxy.unfreeze();
    // Recovery is the database answering again: nothing in Hearth signals it, so ask until it does.
    await eventually(async () => (await web.get('/healthz')).status === 200, 20_000);
    const again = await web.get('/setup').set('Accept', 'text/html');
    expect(again.status).to.equal(200);
  });
});
