import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHearth } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { loadMigrations, migrate } from '../../../src/storage/migrate.js';
import { openPgDatabase } from '../../../src/storage/pg-database.js';
import { openPgliteDatabase } from '../../../src/storage/pglite-database.js';
import { testDatabase } from '../../helpers/database.js';

describe('migrations', () => {
  it('are numbered in order without duplicates', () => {
    const versions = loadMigrations().map((m) => Number(m.version));
    expect(versions.length).to.be.greaterThan(0);
    expect(versions[0]).to.equal(1);
    versions.slice(1).forEach((v, i) => expect(v).to.be.greaterThan(versions[i]!));
  });

  it('have all been applied to the test database, and applying again changes nothing', async () => {
    const db = await testDatabase();
    const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).to.deep.equal(loadMigrations().map((m) => m.version));
    expect(await migrate(db)).to.deep.equal([]);
  });

  it('roll back completely when one of them fails', async () => {
    const db = await testDatabase();
    const broken = [
      { version: '9001', name: 'good', sql: 'CREATE TABLE should_not_stay (id int)' },
      { version: '9002', name: 'bad', sql: 'CREATE TABLE oops (' },
    ];
    const failed = await migrate(db, broken).then(
      () => false,
      () => true,
    );
    expect(failed).to.equal(true);
    expect(await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'should_not_stay'")).to.have.length(0);
    expect(await db.query("SELECT 1 FROM schema_migrations WHERE version = '9001'")).to.have.length(0);
  });

  it('keep data in an embedded database folder across restarts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-restart-'));
    try {
      const first = await openPgliteDatabase(dir);
      await migrate(first);
      await first.query("INSERT INTO instance (name) VALUES ('Kept')");
      await first.close();
      const second = await openPgliteDatabase(dir);
      expect(await migrate(second)).to.deep.equal([]);
      const rows = await second.query<{ name: string }>('SELECT name FROM instance');
      await second.close();
      expect(rows).to.deep.equal([{ name: 'Kept' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are applied once when several processes start at once, and a newer schema stops the server with a clear message', async function () {
    this.timeout(60_000);
    const base = process.env.DATABASE_URL;
    if (!base) {
      console.warn('    (skipped: needs a PostgreSQL server; set DATABASE_URL)');
      this.skip();
    }
    const url = new URL(base!);
    const name = `${url.pathname.slice(1)}_migrate`;
    url.pathname = `/${name}`;
    const admin = openPgDatabase(base!, { max: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE "${name}"`);
    const [a, b] = [openPgDatabase(url.href, { max: 1 }), openPgDatabase(url.href, { max: 1 })];
    try {
      const results = await Promise.all([migrate(a), migrate(b)]);
      const all = loadMigrations().map((m) => `${m.version}_${m.name}`);
      expect(results.map((r) => r.length).sort((x, y) => x - y)).to.deep.equal([0, all.length]);
      expect(await a.query('SELECT version FROM schema_migrations')).to.have.length(all.length);

      await a.query("INSERT INTO schema_migrations (version, name) VALUES ('9999', 'from_the_future')");
      const config = loadConfig({ DATABASE_URL: url.href, LOG_LEVEL: 'silent' });
      let message = '';
      try {
        const hearth = await createHearth({ config, logger: createLogger('silent') });
        await hearth.close();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.contain('This database was last used by a newer version of Hearth (its schema is at 9999');
    } finally {
      await a.close();
      await b.close();
      await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    }
  });
});
