import type { Hearth } from '../../../src/app.js';
import { memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** Seats members as elected moderators of a circle directly (the election itself is tested on its own). */
export async function seatModerators(hearth: Hearth, slug: string, handles: string[], from: Date, days = 90): Promise<void> {
  for (const handle of handles) {
    await hearth.db.query(
      `INSERT INTO moderator_terms (circle_id, member_id, starts_at, ends_at)
       SELECT c.id, m.id, $3, $3::timestamptz + make_interval(days => $4) FROM circles c, members m WHERE c.slug = $1 AND m.handle = $2`,
      [slug, handle, from, days],
    );
    await hearth.db.query(
      'INSERT INTO circle_members (circle_id, member_id) SELECT c.id, m.id FROM circles c, members m WHERE c.slug = $1 AND m.handle = $2 ON CONFLICT DO NOTHING',
      [slug, handle],
    );
  }
}

export interface Cast {
  steward: Visitor;
  people: Record<string, Visitor>;
  threadPath: string;
  postId: number;
}

/** A circle "voices" with members, three moderators (ash, birch, cedar) and a thread by dawn. */
export async function moderatedCircle(hearth: Hearth, now: Date, extra: string[] = []): Promise<Cast> {
  const steward = await withSteward(hearth);
  await openCircle(steward, 'voices');
  const people: Record<string, Visitor> = {};
  for (const h of ['ash', 'birch', 'cedar', 'dawn', 'elm', ...extra]) people[h] = await memberVisitor(hearth, h);
  await seatModerators(hearth, 'voices', ['ash', 'birch', 'cedar'], now);
  const threadPath = await startThread(people.dawn!, 'voices', { title: 'A rough week', body: 'Words that someone reported.' });
  const rows = await hearth.db.query<{ id: number }>("SELECT p.id FROM posts p JOIN members m ON m.id = p.author_id WHERE m.handle = 'dawn' ORDER BY p.id LIMIT 1");
  return { steward, people, threadPath, postId: rows[0]!.id };
}

/** The first number in an address like /moderation/actions/12/appeal found in a page. */
export function idFrom(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  if (!m) throw new Error(`no match for ${pattern}`);
  return Number(m[1]);
}
