import { expect } from 'chai';
import { LISTENER_NAME, openPgDatabase } from '../../../src/storage/pg-database.js';
import { testDatabase } from '../../helpers/database.js';

/** Resolves with the next payload `listen` hears, and a way to stop listening. */
function nextPayload(): { heard: Promise<string>; handler: (payload: string) => void } {
  let resolve!: (payload: string) => void;
  const heard = new Promise<string>((r) => (resolve = r));
  return { heard, handler: (payload) => resolve(payload) };
}

describe('notifications between processes (LISTEN/NOTIFY)', () => {
  it('delivers what is notified to every listener of the channel, and stops when asked', async () => {
    const db = await testDatabase();
    const first = nextPayload();
    const stop = await db.listen('hearth_test_channel', first.handler);
    await db.notify('hearth_test_channel', 'hello');
    expect(await first.heard).to.equal('hello');
    await stop();
    const late: string[] = [];
    const stopLate = await db.listen('hearth_test_channel_2', (p) => late.push(p));
    await db.notify('hearth_test_channel', 'after stopping');
    await db.notify('hearth_test_channel_2', 'marker');
    // Notifications arrive in order: once the marker is heard, the first channel's would have been too.
    while (late.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(late).to.deep.equal(['marker']);
    await stopLate();
  });

  it('on PostgreSQL, listens again after its connection is lost, and says so', async function () {
    const url = process.env.DATABASE_URL;
    if (!url) {
      console.warn('    (skipped: needs a PostgreSQL server; set DATABASE_URL)');
      return this.skip();
    }
    const db = openPgDatabase(url, { max: 2 });
    try {
      let reconnected!: () => void;
      const back = new Promise<void>((r) => (reconnected = r));
      const payloads: string[] = [];
      await db.listen('hearth_test_reconnect', (p) => payloads.push(p), () => reconnected());
      const killed = await db.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid()', [LISTENER_NAME]);
      expect(killed.length).to.be.greaterThan(0);
      await back;
      await db.notify('hearth_test_reconnect', 'after reconnecting');
      while (payloads.length === 0) await new Promise((r) => setTimeout(r, 10));
      expect(payloads).to.deep.equal(['after reconnecting']);
    } finally {
      await db.close();
    }
  });
});
