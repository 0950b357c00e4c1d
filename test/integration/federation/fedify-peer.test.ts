import { expect } from 'chai';
import { Accept, Announce, Create, Follow, Mention, Note } from '@fedify/fedify';
import type { Hearth } from '../../../src/app.js';
import { FedifyPeer } from '../../helpers/fedify-peer.js';
import { eventually, listeningHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

describe('federating with an independent implementation (Fedify)', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let origin: string;
  let close: () => Promise<void>;
  let peer: FedifyPeer;
  let alice: Visitor;

  beforeEach(async () => {
    ({ hearth, origin, close } = await listeningHearth());
    peer = new FedifyPeer();
    await peer.start();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
  });
  afterEach(async () => {
    await close();
    await peer.stop();
  });

  const drain = () => hearth.federation.worker.drain();

  it('follows a circle, receives its announces with Fedify checking Hearth’s signatures, and replies with a content warning', async () => {
    await peer.follow(`${origin}/c/voices`);
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length > 0);
    await drain();
    // Fedify only hands an activity to its listener after verifying its signature.
    const accept = await eventually(async () => peer.received.find((a) => a instanceof Accept) as Accept | undefined);
    // The Accept carries the Follow itself, which Fedify reads without fetching it.
    const follow = await accept.getObject({ documentLoader: undefined, suppressError: true });
    expect(follow).to.be.instanceOf(Follow);
    expect(follow!.id?.href).to.equal(`${peer.origin}/follows/1`);
    expect((follow as Follow).actorId?.href).to.equal(peer.actorId.href);
    expect((follow as Follow).objectId?.href).to.equal(`${origin}/c/voices`);

    const path = await startThread(alice, 'voices', { title: 'A hard week', body: 'It was *loud*.', contentWarning: 'voices' });
    await eventually(async () => (await hearth.db.query('SELECT 1 FROM ap_deliveries')).length >= 2);
    await drain();
    // The circle announces the bare Note and the member's Create; they may arrive in either order.
    const note = await eventually(async () => {
      for (const a of peer.received.filter((x) => x instanceof Announce) as Announce[]) {
        const object = await a.getObject({ documentLoader: undefined });
        if (object instanceof Note) return object;
      }
      return undefined;
    });
    expect(note).to.be.instanceOf(Note);
    expect((note as Note).summary?.toString()).to.equal('voices');
    expect((note as Note).sensitive).to.equal(true);
    expect((note as Note).name?.toString()).to.equal('A hard week');

    const postId = /\/p\/(\d+)\/edit/.exec((await alice.get(path)).text)![1]!;
    await peer.reply(`${origin}/c/voices`, `${origin}/p/${postId}`, '<p>Sending care from Fedify</p>', 'tough stuff');
    const page = await eventually(async () => {
      const p = await new Visitor(hearth).get(`${path}?fedify=1`);
      return p.text.includes('Sending care from Fedify') && p.text;
    });
    expect(page).to.contain('Mo from Fedify');
    expect(page).to.contain('Content warning:</span> tough stuff');

    // A Like from Fedify counts as an "I hear you" on the post.
    await peer.like(`${origin}/c/voices`, `${origin}/p/${postId}`);
    const liked = await eventually(async () => {
      const p = await new Visitor(hearth).get(`${path}?fedify=2`);
      return p.text.includes('I hear you: 1') && p.text;
    });
    expect(liked).to.contain('I hear you: 1');
  });

  it('mentions a Fedify account found by WebFinger: it receives the Create, signed, with a Mention tag naming it', async () => {
    const handle = `@mo@${new URL(peer.origin).host}`;
    const path = await startThread(alice, 'voices', { title: 'Thanks', body: `Thank you ${handle}` });
    expect((await new Visitor(hearth).get(path)).text).to.contain('class="u-url mention"');
    // Fedify hands an activity to its listener only after verifying its signature; nobody there follows the circle.
    const create = await eventually(async () => {
      await drain();
      return peer.received.find((a) => a instanceof Create) as Create | undefined;
    });
    const note = await create.getObject({ documentLoader: undefined });
    expect(note).to.be.instanceOf(Note);
    const mentions: Mention[] = [];
    for await (const tag of (note as Note).getTags({ documentLoader: undefined })) if (tag instanceof Mention) mentions.push(tag);
    expect(mentions.map((m) => m.href?.href)).to.deep.equal([peer.actorId.href]);
    expect(mentions[0]!.name?.toString()).to.equal(handle);
    expect((note as Note).ccIds.map((u) => u.href)).to.include(peer.actorId.href);
  });
});
