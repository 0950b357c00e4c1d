import { expect } from 'chai';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createGunzip, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { runCli } from '../../../src/cli/cli.js';
import type { Database } from '../../../src/storage/database.js';
import { backupToFile, restoreFromFile } from '../../../src/storage/backup.js';
import { listBackups, runDueBackup } from '../../../src/storage/backup-schedule.js';
import { migrate } from '../../../src/storage/migrate.js';
import { openPgDatabase } from '../../../src/storage/pg-database.js';
import { openPgliteDatabase } from '../../../src/storage/pglite-database.js';
import { testDatabase } from '../../helpers/database.js';
import { freshHearth, memberVisitor, openCircle, startThread, withSteward } from '../../helpers/test-hearth.js';

/** Every table's rows (and the migration record), as PostgreSQL writes them in JSON, in a stable order. */
async function everything(db: Database): Promise<Record<string, string[]>> {
  return db.transaction(async (tx) => {
    await tx.query("SET LOCAL TimeZone = 'UTC'");
    const tables = await tx.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    const out: Record<string, string[]> = {};
    for (const { t } of tables) {
      const cols = t === 'schema_migrations' ? 'version, name' : '*';
      const rows = await tx.query<{ j: string }>(`SELECT row_to_json(r)::text AS j FROM (SELECT ${cols} FROM "${t}") r`);
      out[t] = rows.map((r) => r.j).sort();
    }
    return out;
  });
}

async function cli(argv: string[], env: NodeJS.ProcessEnv, db?: Database): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env, ...(db ? { db } : {}) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('backups, restoring and moving to PostgreSQL', function () {
  this.timeout(180_000);
  let source: Database;
  let dir: string;
  let file: string;
  let expected: Record<string, string[]>;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-backup-'));
    file = path.join(dir, 'hearth.jsonl.gz');
    // Content made the way people make it: an instance, a circle, members (with sessions), threads and a reply.
    const hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    const river = await memberVisitor(hearth, 'sky');
    const thread = await startThread(river, 'voices', { title: 'Tuesdays', body: 'Who is coming? **Café** ☕ and "quotes"' });
    await startThread(steward, 'voices', { title: 'Welcome', body: 'Hello\n\n- one\n- two' });
    const reply = await river.submit(thread, `${thread}/reply`, { body: 'I will be there' });
    expect(reply.status).to.equal(303);
    // Publishing runs after each request (the outbox): the snapshot waits for it.
    await hearth.federation.settled();
    source = await testDatabase();
    expected = await everything(source);
    expect(expected.sessions!.length).to.be.greaterThan(0);
    expect(expected.posts!.length).to.equal(3);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a compressed backup that says what it holds', async () => {
    const r = await backupToFile(source, file);
    expect(r.rows).to.equal(Object.entries(expected).reduce((n, [t, rows]) => (t === 'schema_migrations' ? n : n + rows.length), 0));
    expect(statSync(file).size).to.equal(r.bytes);
    const lines = (await text(createReadStream(file).pipe(createGunzip()))).trim().split('\n');
    const header = JSON.parse(lines[0]!) as [string, { format: number; migrations: string[] }];
    expect(header[0]).to.equal('hearth-backup');
    expect(header[1].migrations).to.deep.equal(expected.schema_migrations!.map((j) => (JSON.parse(j) as { version: string }).version));
    expect(JSON.parse(lines.at(-1)!)).to.deep.equal(['done', r.rows]);
  });

  it('restores into an empty embedded database with every table the same, and refuses a non-empty one unless forced', async () => {
    const target = await openPgliteDatabase(path.join(dir, 'pglite'));
    try {
      await restoreFromFile(target, file);
      expect(await everything(target)).to.deep.equal(expected);
      // New rows get new ids after the restored ones.
      await target.query("INSERT INTO handles (name, kind) VALUES ('after', 'circle')");
      const [next] = await target.query<{ id: number }>("INSERT INTO circles (slug, name) VALUES ('after', 'After') RETURNING id");
      const maxBefore = Math.max(...expected.circles!.map((j) => (JSON.parse(j) as { id: number }).id));
      expect(next!.id).to.be.greaterThan(maxBefore);

      let refusal = '';
      try {
        await restoreFromFile(target, file);
      } catch (error) {
        refusal = (error as Error).message;
      }
      expect(refusal).to.contain('already holds data. Nothing was changed. Use --force');
      expect(await target.query("SELECT 1 FROM circles WHERE slug = 'after'")).to.have.length(1);

      await restoreFromFile(target, file, { force: true });
      expect(await everything(target)).to.deep.equal(expected);
    } finally {
      await target.close();
    }
  });

  it('refuses an incomplete or foreign file and changes nothing', async () => {
    const lines = (await text(createReadStream(file).pipe(createGunzip()))).trim().split('\n');
    const cut = path.join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, gzipSync(lines.slice(0, -3).join('\n')));
    const notOurs = path.join(dir, 'other.gz');
    writeFileSync(notOurs, gzipSync('{"hello": "world"}\n'));
    const target = await openPgliteDatabase(path.join(dir, 'pglite'));
    try {
      for (const [f, words] of [[cut, 'incomplete'], [notOurs, 'is not a Hearth backup']] as const) {
        let message = '';
        try {
          await restoreFromFile(target, f, { force: true });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).to.contain(words);
      }
      expect(await everything(target)).to.deep.equal(expected);
    } finally {
      await target.close();
    }
  });

  it('lists pending migrations with --dry-run, and will not start on a schema from a newer Hearth', async () => {
    const target = await openPgliteDatabase(path.join(dir, 'pglite'));
    try {
      const upToDate = await cli(['migrate', '--dry-run'], {}, target);
      expect(upToDate.out).to.contain('nothing would be applied');
      await target.query("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
      const latest = expected.schema_migrations!.map((j) => JSON.parse(j) as { version: string; name: string }).at(-1)!;
      const dry = await cli(['migrate', '--dry-run'], {}, target);
      expect(dry.out).to.equal(`Would apply: ${latest.version}_${latest.name}`);
      await target.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2), ('9999', 'from_the_future')", [latest.version, latest.name]);
      const refused = await cli(['migrate'], {}, target);
      expect(refused.code).to.equal(1);
      expect(refused.err).to.contain('last used by a newer version of Hearth (its schema is at 9999');
      let message = '';
      try {
        await migrate(target);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.contain('Nothing was changed');
      await target.query("DELETE FROM schema_migrations WHERE version = '9999'");
    } finally {
      await target.close();
    }
  });

  it('moves an embedded instance into an empty PostgreSQL database, sessions and all, and restores there too', async function () {
    const base = process.env.DATABASE_URL;
    if (!base) {
      console.warn('    (skipped: needs a PostgreSQL server; set DATABASE_URL)');
      this.skip();
    }
    const url = new URL(base!);
    const name = `${url.pathname.slice(1)}_move`;
    url.pathname = `/${name}`;
    const admin = openPgDatabase(base!, { max: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE "${name}"`);
    try {
      const env = { DATA_DIR: dir, LOG_LEVEL: 'silent' };
      const moved = await cli(['move-to-postgres', '--to', url.href], env);
      expect(moved.err).to.equal('');
      expect(moved.out).to.contain('Copied');
      const target = openPgDatabase(url.href, { max: 2 });
      try {
        expect(await everything(target)).to.deep.equal(expected);
        const again = await cli(['move-to-postgres', '--to', url.href], env);
        expect(again.code).to.equal(1);
        expect(again.err).to.contain('already holds data');

        const restored = await cli(['restore', '--from', file, '--force'], { DATABASE_URL: url.href });
        expect(restored.out).to.contain('Restored');
        expect(await everything(target)).to.deep.equal(expected);
        const backedUp = await cli(['backup', '--to', path.join(dir, 'from-pg.jsonl.gz')], { DATABASE_URL: url.href });
        expect(backedUp.out).to.match(/Backed up \d+ rows from \d+ tables/);
      } finally {
        await target.close();
      }
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    }
  });

  it('makes scheduled backups when one is due, keeping the newest few', async () => {
    const backups = path.join(dir, 'scheduled');
    const settings = { dir: backups, keep: 2, intervalMs: 3_600_000 };
    const now = Date.now();
    expect(await runDueBackup(source, settings, new Date(now))).to.include({ rows: (await backupSummaryRows()) });
    expect(await runDueBackup(source, settings, new Date(now + 60_000))).to.equal(undefined);
    expect(await runDueBackup(source, settings, new Date(now + 2 * 3_600_000))).to.not.equal(undefined);
    expect(await runDueBackup(source, settings, new Date(now + 4 * 3_600_000))).to.not.equal(undefined);
    const kept = listBackups(backups);
    expect(kept).to.have.length(2);
    expect(readdirSync(backups)).to.deep.equal(kept);
    const newest = await openPgliteDatabase(path.join(dir, 'from-schedule'));
    try {
      await restoreFromFile(newest, path.join(backups, kept.at(-1)!));
      expect(await everything(newest)).to.deep.equal(expected);
    } finally {
      await newest.close();
    }
  });

  async function backupSummaryRows(): Promise<number> {
    return Object.entries(expected).reduce((n, [t, rows]) => (t === 'schema_migrations' ? n : n + rows.length), 0);
  }
});
