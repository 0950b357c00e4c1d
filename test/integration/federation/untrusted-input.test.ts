import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { listeningHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
/** Loose: a page that answers within this while odd input is worked on was not held up by it. */
const ANSWERS_WITHIN_MS = 3000;

/**
 * Odd input from other servers and members must never hold up everyone
 * else: while Hearth works on each of these shapes, /healthz keeps answering.
 */
describe('untrusted input does not stall the server', function () {
  this.timeout(120_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;
  let alice: Visitor;
  let postId: number;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    const path = await startThread(alice, 'voices', { title: 'Hello', body: 'first words' });
    postId = Number(/\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]);
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  /** Asks /healthz again and again until `done` holds, each answer within the loose limit. */
  async function staysResponsive(work: Promise<unknown>, done: () => Promise<boolean>): Promise<number> {
    let finished = false;
    void work.finally(() => {
      finished = true;
    });
    let asked = 0;
    let giveUpAt = Infinity;
    for (;;) {
      const started = Date.now();
      const res = await fetch(`${origin}/healthz`);
      const took = Date.now() - started;
      expect(res.status).to.equal(200);
      expect(took, `/healthz answered in ${took} ms`).to.be.lessThan(ANSWERS_WITHIN_MS);
      asked++;
      if (finished && (await done())) break;
      if (finished) giveUpAt = Math.min(giveUpAt, Date.now() + 30_000);
      if (Date.now() > giveUpAt) throw new Error(`the input was never applied (answered ${JSON.stringify(await work)})`);
    }
    await work;
    return asked;
  }

  it('a Flag whose content is 200,000 unclosed tags', async () => {
    const flag = remote.send(`${origin}/inbox`, {
      id: `${remote.origin}/flags/1`,
      type: 'Flag',
      actor: remote.actorId,
      object: [`${origin}/p/${postId}`],
      content: '<'.repeat(200_000),
    });
    await staysResponsive(flag, async () => (await hearth.db.query('SELECT 1 FROM reports')).length > 0);
    expect((await flag).status).to.equal(202);
    const [report] = await hearth.db.query<{ note: string }>('SELECT note FROM reports');
    expect(report!.note).to.match(/^<+$/);
  });

  it('a reply of 10,000 nested elements (49 KB), with a content warning of 100,000 unclosed tags', async () => {
    const noteId = `${remote.origin}/users/bob/statuses/deep`;
    const reply = remote.send(`${origin}/inbox`, {
      id: `${noteId}/activity`,
      type: 'Create',
      actor: remote.actorId,
      to: [PUBLIC],
      object: {
        id: noteId,
        type: 'Note',
        attributedTo: remote.actorId,
        inReplyTo: `${origin}/p/${postId}`,
        content: `${'<div>'.repeat(10_000)}deep words`,
        summary: '<'.repeat(100_000),
        to: [PUBLIC],
      },
    });
    await staysResponsive(reply, async () => (await hearth.db.query('SELECT 1 FROM posts WHERE ap_id = $1', [noteId])).length > 0);
    const [post] = await hearth.db.query<{ html: string; content_warning: string }>('SELECT html, content_warning FROM posts WHERE ap_id = $1', [noteId]);
    expect(post!.html).to.equal('<p>deep words</p>');
    expect(post!.content_warning.length).to.be.at.most(201);
  });

  it('a member’s post of a 20,000-character markdown table', async () => {
    const row = '| a | b | c | d |\n';
    const body = `${row}|---|---|---|---|\n${row.repeat(Math.floor((20_000 - 40) / row.length))}`;
    expect(body.length).to.be.at.most(20_000);
    const posting = startThread(alice, 'voices', { title: 'A big table', body });
    await staysResponsive(posting, async () => (await hearth.db.query("SELECT 1 FROM threads WHERE title = 'A big table'")).length > 0);
    const page = await new Visitor(hearth).get(await posting);
    expect(page.text).to.contain('<table>');
  });
});
