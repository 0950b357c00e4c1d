import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { FakeRemoteServer } from '../../helpers/fake-remote-server.js';
import { eventually, listeningHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

describe('posts’ languages between servers (issue 13)', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let remote: FakeRemoteServer;
  let alice: Visitor;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    remote = new FakeRemoteServer();
    await remote.start();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
  });
  afterEach(async () => {
    await close();
    await remote.stop();
  });

  const languageOf = async (apId: string) =>
    (await hearth.db.query<{ language: string | null }>('SELECT language FROM posts WHERE ap_id = $1', [apId]))[0]?.language;

  it('sends a post’s language as the Note’s contentMap (and summaryMap) next to content', async () => {
    const follow = await remote.send(`${origin}/c/voices/inbox`, { id: `${remote.origin}/follows/1`, type: 'Follow', actor: remote.actorId, object: `${origin}/c/voices` });
    expect(follow.status, follow.text).to.equal(200);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length > 0);
    await hearth.federation.worker.drain();
    remote.received.length = 0;

    await startThread(alice, 'voices', { title: 'Eine laute Woche', body: 'Die Stimmen waren *laut*.', contentWarning: 'Stimmen', language: 'de' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await hearth.federation.worker.drain();
    const note = remote.received
      .filter((r) => r.activity.type === 'Announce')
      .map((a) => a.activity.object as Record<string, unknown>)
      .find((o) => o.type === 'Note')!;
    expect(note, JSON.stringify(remote.received)).to.not.equal(undefined);
    expect(note.contentMap).to.deep.equal({ de: note.content });
    expect(String(note.content)).to.contain('laut');
    expect(note.summaryMap).to.deep.equal({ de: 'Stimmen' });

    // The same at the post's own address.
    const postId = (await hearth.db.query<{ id: number }>("SELECT id FROM posts WHERE language = 'de'"))[0]!.id;
    const res = await fetch(`${origin}/p/${postId}`, { headers: { accept: 'application/activity+json' } });
    const served = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(served.contentMap as object)).to.deep.equal(['de']);
  });

  it('keeps the language an incoming Note gives in contentMap (its one key, or the one whose text is the content), else none', async () => {
    const create = (n: number, object: Record<string, unknown>) =>
      remote.send(`${origin}/inbox`, {
        id: `${remote.origin}/users/bob/statuses/${n}/activity`,
        type: 'Create',
        actor: remote.actorId,
        object: { id: `${remote.origin}/users/bob/statuses/${n}`, type: 'Note', attributedTo: remote.actorId, to: [PUBLIC, `${origin}/c/voices`], ...object },
        to: [PUBLIC, `${origin}/c/voices`],
      });
    const stored = (n: number) => eventually(async () => (await hearth.db.query('SELECT 1 FROM posts WHERE ap_id = $1', [`${remote.origin}/users/bob/statuses/${n}`])).length > 0);

    let res = await create(1, { name: 'Hola', content: '<p>Hola a todas las personas del círculo</p>', contentMap: { es: '<p>Hola a todas las personas del círculo</p>' } });
    expect(res.status, res.text).to.equal(200);
    await stored(1);
    expect(await languageOf(`${remote.origin}/users/bob/statuses/1`)).to.equal('es');

    // Only contentMap, with a region: its primary tag.
    res = await create(2, { name: 'Olá', contentMap: { 'pt-BR': '<p>Olá, alguém por aí?</p>' } });
    expect(res.status, res.text).to.equal(200);
    await stored(2);
    expect(await languageOf(`${remote.origin}/users/bob/statuses/2`)).to.equal('pt');
    const page = await new Visitor(hearth).get('/c/voices');
    expect(page.text).to.contain('Olá');

    // Several languages: the one whose text is the content.
    res = await create(3, { name: 'Bonjour', content: '<p>Bonjour le cercle</p>', contentMap: { en: '<p>Hello circle</p>', fr: '<p>Bonjour le cercle</p>' } });
    expect(res.status, res.text).to.equal(200);
    await stored(3);
    expect(await languageOf(`${remote.origin}/users/bob/statuses/3`)).to.equal('fr');

    // None said, or a tag that is no language: not known.
    res = await create(4, { name: 'Hello', content: '<p>Hello circle</p>' });
    expect(res.status, res.text).to.equal(200);
    await stored(4);
    expect(await languageOf(`${remote.origin}/users/bob/statuses/4`)).to.equal(null);
    res = await create(5, { name: 'Odd', contentMap: { 'not a language!': '<p>Odd one</p>' } });
    expect(res.status, res.text).to.equal(200);
    await stored(5);
    expect(await languageOf(`${remote.origin}/users/bob/statuses/5`)).to.equal(null);

    // Shown with its language on the thread's page.
    const threadId = (await hearth.db.query<{ thread_id: number }>('SELECT thread_id FROM posts WHERE ap_id = $1', [`${remote.origin}/users/bob/statuses/1`]))[0]!.thread_id;
    expect((await new Visitor(hearth).get(`/c/voices/t/${threadId}`)).text).to.match(/<div class="post-body" lang="es">/);
  });
});
