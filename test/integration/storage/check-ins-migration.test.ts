import { expect } from 'chai';
import { loadMigrations, migrate } from '../../../src/storage/migrate.js';
import { openPgliteDatabase } from '../../../src/storage/pglite-database.js';

/** Migration 0031 moves check-ins out of moderation without losing anything a member wrote. */
describe('migration 0031: check-ins apart from reports', () => {
  it('turns worried reports into check-in requests, keeps their check-ins, and makes moderators’ check-ins moderators’ messages', async () => {
    const db = await openPgliteDatabase(undefined);
    try {
      await migrate(db, loadMigrations().filter((m) => m.version < '0031'));
      const at = '2026-03-01T12:00:00Z';
      await db.exec(`
        INSERT INTO handles (name, kind) VALUES ('dawn', 'member'), ('elm', 'member'), ('fern', 'member'), ('ash', 'member'), ('voices', 'circle');
        INSERT INTO members (handle, password_hash) VALUES ('dawn', 'x'), ('elm', 'x'), ('fern', 'x'), ('ash', 'x');
        INSERT INTO circles (slug, name) VALUES ('voices', 'Hearing voices');
        INSERT INTO threads (circle_id, title, author_id) SELECT c.id, 'A rough week', m.id FROM circles c, members m WHERE m.handle = 'dawn';
        INSERT INTO posts (thread_id, author_id, is_opening, source, html) SELECT t.id, t.author_id, true, 'Heavy', '<p>Heavy</p>' FROM threads t;
      `);
      const id = async (handle: string) => (await db.query<{ id: number }>('SELECT id FROM members WHERE handle = $1', [handle]))[0]!.id;
      const [dawn, elm, fern, ash] = [await id('dawn'), await id('elm'), await id('fern'), await id('ash')];
      const circle = (await db.query<{ id: number }>('SELECT id FROM circles'))[0]!.id;
      const post = (await db.query<{ id: number }>('SELECT id FROM posts'))[0]!.id;
      const worried = (await db.query<{ id: number }>(
        `INSERT INTO reports (circle_id, reporter_id, post_id, member_id, reason, note, status, outcome, handled_by, created_at, closed_at)
         VALUES ($1, $2, $3, $4, 'worried', 'They sound low.', 'closed', 'checked_in', $5, $6, $6) RETURNING id`,
        [circle, elm, post, dawn, fern, at],
      ))[0]!.id;
      await db.query(`INSERT INTO reports (circle_id, reporter_id, post_id, member_id, reason, note, created_at) VALUES ($1, $2, $3, $4, 'harassment', 'Threat', $5)`, [circle, elm, post, dawn, at]);
      await db.query('INSERT INTO check_ins (to_member_id, from_member_id, circle_id, report_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [dawn, fern, circle, worried, 'Here if you want to talk.', at]);
      await db.query(
        `INSERT INTO moderation_actions (circle_id, kind, status, post_id, member_id, agreement, reason, detail, acted_by, created_at)
         VALUES ($1, 'check_in', 'standing', $2, $3, 'Agreement 3', 'Reminder', $4, $5, $6)`,
        [circle, post, dawn, JSON.stringify({ message: 'Please add a content warning.' }), ash, at],
      );
      await db.query('INSERT INTO check_ins (to_member_id, from_member_id, circle_id, body, created_at) VALUES ($1, $2, $3, $4, $5)', [dawn, ash, circle, 'Please add a content warning.', at]);

      expect(await migrate(db)).to.include('0031_check_ins');

      const requests = await db.query<{ asked_by: number; member_id: number; note: string; status: string; taken_by: number }>('SELECT * FROM check_in_requests');
      expect(requests).to.have.length(1);
      expect(requests[0]).to.include({ asked_by: elm, member_id: dawn, note: 'They sound low.', status: 'sent', taken_by: fern });
      const checkIns = await db.query<{ body: string; request_id: number | null }>('SELECT body, request_id FROM check_ins');
      expect(checkIns.map((c) => c.body)).to.deep.equal(['Here if you want to talk.']);
      expect(checkIns[0]!.request_id).to.not.equal(null);
      const messages = await db.query<{ body: string; agreement: string; to_member_id: number }>('SELECT body, agreement, to_member_id FROM moderator_messages');
      expect(messages).to.deep.equal([{ body: 'Please add a content warning.', agreement: 'Agreement 3', to_member_id: dawn }]);
      expect((await db.query<{ kind: string }>('SELECT kind FROM moderation_actions')).map((a) => a.kind)).to.deep.equal(['message']);
      expect((await db.query<{ reason: string }>('SELECT reason FROM reports')).map((r) => r.reason)).to.deep.equal(['harassment']);
    } finally {
      await db.close();
    }
  });
});
