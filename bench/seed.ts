import type { Hearth } from '../src/app.js';

export const BENCH_PASSWORD = 'a long enough password';

/**
 * The benchmarks' content: a circle with 50 threads and a thread with 50
 * posts (its opening post and 49 replies: one page), a steward (river) and a
 * member who reads with muted words (alice). Returns the long thread's path.
 */
export async function seedBenchContent(hearth: Hearth): Promise<string> {
  const { services } = hearth;
  const { steward } = await services.instance.setup({ name: 'Bench', steward: { handle: 'river', password: BENCH_PASSWORD } });
  await services.circles.create(steward!, { slug: 'busy', name: 'Busy circle' });
  await services.circles.create(steward!, { slug: 'long', name: 'Long thread' });
  const body = 'Some words about a hard week, with *emphasis* and a [link](https://example.org).\n\n'.repeat(3);
  for (let i = 0; i < 50; i++) await services.threads.startThread(steward!, 'busy', { title: `Thread ${i}`, body });
  const { thread } = await services.threads.startThread(steward!, 'long', { title: 'Fifty posts', body });
  for (let i = 0; i < 49; i++) await services.threads.reply(steward!, thread.id, { body: `Reply ${i}. ${body}` });
  // A member who reads with muted words, as many do.
  const alice = await services.members.create({ handle: 'alice', password: BENCH_PASSWORD }, 'member');
  await services.members.updateSettings(alice, { cwDisplay: 'folded', mutedWords: 'spoiler\nnumbers', profileListed: true, federatePosts: true, discoverable: false, indexable: false });
  // The seeding's federation work (publishing 100 posts) is done before anything is measured.
  await hearth.federation.settled();
  return `/c/long/t/${thread.id}`;
}

/** Logs in through HTTP, as a browser does; returns the session cookie. */
export async function logIn(origin: string, handle: string): Promise<string> {
  const page = await fetch(`${origin}/login`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ handle, password: BENCH_PASSWORD, _csrf: csrf }).toString(),
  });
  if (res.status !== 303) throw new Error(`bench login failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
