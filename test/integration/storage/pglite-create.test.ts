import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgliteDataDir, needsCreating, openPgliteDatabase } from '../../../src/storage/pglite-database.js';

describe('a new embedded database folder', function () {
  this.timeout(180_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-create-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created by a process of its own, which has ended by the time the server opens it', async () => {
    expect(needsCreating(dir)).to.equal(true);
    const creator = await createPgliteDataDir(dir);
    expect(creator).to.be.a('number').and.not.equal(process.pid);
    expect(() => process.kill(creator, 0)).to.throw();
    expect(needsCreating(dir)).to.equal(false);
  });

  it('opens right away, and keeps what was written across a reopening', async () => {
    const first = await openPgliteDatabase(dir);
    await first.exec("CREATE TABLE kept (words text); INSERT INTO kept VALUES ('still here')");
    await first.close();
    const second = await openPgliteDatabase(dir);
    try {
      expect(await second.query<{ words: string }>('SELECT words FROM kept')).to.deep.equal([{ words: 'still here' }]);
    } finally {
      await second.close();
    }
  });
});
