import { expect } from 'chai';
import { HearthProcess, type RemoteVisitor } from '../../helpers/hearth-process.js';
import { eventually } from '../../helpers/test-hearth.js';

const PASSWORD = 'a long enough password';

describe('two Hearth instances in separate processes', function () {
  this.timeout(120_000);
  const a = new HearthProcess();
  const b = new HearthProcess();
  let ann: RemoteVisitor;
  let bea: RemoteVisitor;

  before(async () => {
    await Promise.all([a.start('127.0.0.2'), b.start('127.0.0.3')]);
    ann = a.person();
    await ann.submit('/setup', '/setup', { name: 'Hearth A', handle: 'ann', password: PASSWORD });
    bea = b.person();
    await bea.submit('/setup', '/setup', { name: 'Hearth B', handle: 'bea', password: PASSWORD });
    await bea.submit('/steward/circles/new', '/steward/circles/new', { slug: 'voices', name: 'Voices on B', purpose: '', visibility: 'public' });
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  const wait = <T>(check: () => Promise<T | undefined | false>, what: string) =>
    eventually(check, 20_000).catch(() => {
      throw new Error(`${what} did not happen.\n--- A ---\n${a.log()}\n--- B ---\n${b.log()}`);
    });

  it('a member of A follows a circle on B; threads, replies, edits and deletions travel both ways, signed', async () => {
    const follow = await ann.submit('/circles/followed', '/circles/followed', { q: `@voices@${b.host}` });
    expect(follow.status, follow.text).to.equal(303);
    await wait(async () => {
      const page = await ann.get('/circles/followed');
      return page.text.includes('Voices on B') && !page.text.includes('waiting to be accepted');
    }, 'B accepting the follow');

    // B's thread reaches A.
    const started = await bea.submit('/c/voices/new', '/c/voices/new', { title: 'Hello from B', body: 'Anyone on A?', contentWarning: 'loneliness' });
    const threadPathB = started.headers.location as string;
    const circlePathA = await wait(async () => {
      const page = await ann.get('/circles/followed');
      return /href="(\/f\/\d+)"/.exec(page.text)?.[1];
    }, 'the followed circle link');
    const threadPathA = await wait(async () => {
      const page = await ann.get(circlePathA);
      return page.text.includes('Hello from B') && /href="(\/f\/\d+\/t\/\d+)"/.exec(page.text)?.[1];
    }, "B's thread arriving at A");
    const threadA = await ann.get(threadPathA);
    expect(threadA.text).to.contain('Anyone on A?');
    expect(threadA.text).to.contain('Content warning:</span> loneliness');

    // A's reply reaches B's thread.
    const reply = await ann.submit(threadPathA, `${threadPathA}/reply`, { body: 'Hello from A, I am here.' });
    expect(reply.status, reply.text).to.equal(303);
    await wait(async () => (await b.person().get(threadPathB)).text.includes('Hello from A, I am here.'), "A's reply arriving at B");
    expect((await b.person().get(threadPathB)).text).to.contain(`@ann@${a.host}`);

    // B's edit and deletion reach A.
    const postId = /\/p\/(\d+)\/edit/.exec((await bea.get(threadPathB)).text)![1]!;
    await bea.submit(`/p/${postId}/edit`, `/p/${postId}/edit`, { title: 'Hello from B', body: 'Anyone on A? (edited)', contentWarning: 'loneliness' });
    await wait(async () => (await ann.get(threadPathA)).text.includes('(edited)'), "B's edit arriving at A");
    await bea.submit(`/p/${postId}/delete`, `/p/${postId}/delete`, {});
    await wait(async () => {
      const page = await ann.get(threadPathA);
      return !page.text.includes('(edited)') && page.text.includes('This post was deleted by its author.');
    }, "B's deletion arriving at A");
  });
});
