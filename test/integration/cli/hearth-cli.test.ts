import { expect } from 'chai';
import { runCli } from '../../../src/cli/cli.js';
import { argon2Hasher } from '../../../src/domain/members/passwords.js';
import type { Database } from '../../../src/storage/database.js';
import { resetDatabase, testDatabase } from '../../helpers/database.js';

describe('the hearth command line', () => {
  let db: Database;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) =>
    runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { db, hasher: argon2Hasher('light') });

  beforeEach(async () => {
    db = await testDatabase();
    await resetDatabase(db);
    out = [];
    err = [];
  });

  it('sets up an instance, creates a steward and a circle', async () => {
    expect(await run('setup', '--name', 'Tuesday Group')).to.equal(0);
    expect(await run('member', 'create', '--handle', 'river', '--password', 'a long enough password', '--steward')).to.equal(0);
    expect(await run('circle', 'create', '--slug', 'voices', '--name', 'Hearing voices', '--purpose', 'Sharing')).to.equal(0);
    expect(out.join('\n')).to.contain('Created steward @river');
    expect(out.join('\n')).to.contain('/c/voices');
    const [instance] = await db.query<{ name: string }>('SELECT name FROM instance');
    expect(instance!.name).to.equal('Tuesday Group');
    const [member] = await db.query<{ role: string }>("SELECT role FROM members WHERE handle = 'river'");
    expect(member!.role).to.equal('steward');
  });

  it('reports the database as up to date on a second migrate', async () => {
    expect(await run('migrate')).to.equal(0);
    expect(out.join('\n')).to.contain('up to date');
  });

  it('prints clear problems and changes nothing on bad input', async () => {
    expect(await run('member', 'create', '--handle', 'X!', '--password', 'short')).to.equal(1);
    expect(err.join('\n')).to.contain('handle: A handle uses lower-case letters');
    expect(err.join('\n')).to.contain('password: Please use at least 10 characters');
    expect(await db.query('SELECT 1 FROM members')).to.have.length(0);

    expect(await run('setup', '--name', 'One')).to.equal(0);
    err = [];
    expect(await run('setup', '--name', 'Two')).to.equal(1);
    expect(err.join('\n')).to.contain('already been set up');
  });

  it('prints a one-time password reset link, logged without the link', async () => {
    const runWithUrl = (...argv: string[]) =>
      runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { db, hasher: argon2Hasher('light'), env: { PUBLIC_URL: 'https://hearth.example.org' } });
    expect(await run('setup', '--name', 'Tuesday Group')).to.equal(0);
    expect(await run('member', 'create', '--handle', 'willow', '--password', 'a long enough password')).to.equal(0);
    out = [];
    expect(await runWithUrl('member', 'reset-password', '--handle', 'willow')).to.equal(0);
    const link = out.find((l) => l.startsWith('https://hearth.example.org/login/reset?token='));
    expect(link, out.join('\n')).to.be.a('string');
    const token = new URL(link!).searchParams.get('token')!;
    expect(token).to.have.length.greaterThan(40);
    const [log] = await db.query<{ summary: string; subject: string }>("SELECT summary, subject FROM moderation_log WHERE event = 'password_reset_issued'");
    expect(log!.summary).to.contain('@willow');
    expect(log!.summary).not.to.contain(token);
    expect(JSON.stringify(await db.query('SELECT * FROM password_resets'))).not.to.contain(token);

    expect(await runWithUrl('member', 'reset-password', '--handle', 'nobody_here')).to.equal(1);
    expect(err.join('\n')).to.contain('no member with that handle');
  });

  it('explains usage for unknown commands and missing options', async () => {
    expect(await run('frobnicate')).to.equal(2);
    expect(err.join('\n')).to.contain('Unknown command "frobnicate"');
    err = [];
    expect(await run('circle', 'create', '--slug', 'x1')).to.equal(2);
    expect(err.join('\n')).to.contain('Missing --name');
    err = [];
    expect(await run('setup', '--colour', 'red')).to.equal(2);
    expect(err.join('\n')).to.contain('Usage: hearth');
  });
});
