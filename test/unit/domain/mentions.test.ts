import { expect } from 'chai';
import { MENTION_LIMITS, Mentions, type RemoteMentions, type RemotePerson } from '../../../src/domain/mentions/mentions.js';
import type { Database } from '../../../src/storage/database.js';

/** A database that knows the members `handles` (ids from 1): enough for resolving mentions. */
function membersDb(handles: string[]): Database {
  const db = {
    query: async (_sql: string, params: unknown[]) => {
      const wanted = params[0] as string[];
      return handles.map((handle, i) => ({ id: i + 1, handle })).filter((m) => wanted.includes(m.handle));
    },
  };
  return db as unknown as Database; // only query() is used by resolve()
}

class FakeRemote implements RemoteMentions {
  readonly asked: string[] = [];
  constructor(private readonly answer: (user: string, host: string) => Promise<RemotePerson | undefined>) {}
  resolve(user: string, host: string): Promise<RemotePerson | undefined> {
    this.asked.push(`${user}@${host}`);
    return this.answer(user, host);
  }
}

const person = (user: string, host: string): RemotePerson => ({ actorIri: `https://${host}/users/${user}`, profileUrl: `https://${host}/@${user}` });

function mentions(found: string[], remote: RemoteMentions | undefined, members = ['alice'], remoteTimeMs?: number): Mentions {
  return new Mentions({
    db: membersDb(members),
    find: async () => found,
    localHost: 'hearth.example',
    memberUrl: (h) => `https://hearth.example/u/${h}`,
    ...(remote ? { remote } : {}),
    ...(remoteTimeMs !== undefined ? { remoteTimeMs } : {}),
  });
}

describe('resolving @mentions (domain)', () => {
  it('links members here (also as @handle@this.host), and people elsewhere the port finds', async () => {
    const remote = new FakeRemote(async (u, h) => (u === 'bob' ? person(u, h) : undefined));
    const r = await mentions(['alice', 'alice@hearth.example', 'nobody', 'bob@example.org', 'carol@example.org'], remote).resolve('…', { remote: true });
    expect(r.links).to.deep.equal({
      alice: 'https://hearth.example/u/alice',
      'alice@hearth.example': 'https://hearth.example/u/alice',
      'bob@example.org': 'https://example.org/@bob',
    });
    expect(r.memberIds).to.deep.equal([1]);
    expect(r.remoteActorIris).to.deep.equal(['https://example.org/users/bob']);
    expect(remote.asked).to.deep.equal(['bob@example.org', 'carol@example.org']);
  });

  it('asks about people elsewhere only when allowed (never for members-only circles)', async () => {
    const remote = new FakeRemote(async (u, h) => person(u, h));
    const r = await mentions(['alice', 'bob@example.org'], remote).resolve('…', { remote: false });
    expect(remote.asked).to.deep.equal([]);
    expect(Object.keys(r.links)).to.deep.equal(['alice']);
  });

  it(`looks up at most ${MENTION_LIMITS.remotePerPost} people elsewhere per post`, async () => {
    const remote = new FakeRemote(async (u, h) => person(u, h));
    const found = Array.from({ length: 30 }, (_, i) => `p${i}@example.org`);
    const r = await mentions(found, remote).resolve('…', { remote: true });
    expect(remote.asked).to.have.length(MENTION_LIMITS.remotePerPost);
    expect(r.remoteActorIris).to.have.length(MENTION_LIMITS.remotePerPost);
  });

  it('goes on without the people whose servers do not answer in time, or fail', async () => {
    const remote = new FakeRemote((u, h) => (u === 'slow' ? new Promise(() => undefined) : u === 'broken' ? Promise.reject(new Error('refused')) : Promise.resolve(person(u, h))));
    const r = await mentions(['slow@example.org', 'broken@example.org', 'bob@example.org'], remote, [], 20).resolve('…', { remote: true });
    expect(r.remoteActorIris).to.deep.equal(['https://example.org/users/bob']);
    expect(Object.keys(r.links)).to.deep.equal(['bob@example.org']);
  });

  it('without a port (federation not there), people elsewhere stay text', async () => {
    const r = await mentions(['bob@example.org'], undefined).resolve('…', { remote: true });
    expect(r.links).to.deep.equal({});
  });
});
