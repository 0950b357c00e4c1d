import { expect } from 'chai';
import { actorIris } from '../../../src/federation/actor-iris.js';
import { noteIris, serializeNote, serializeTombstone } from '../../../src/federation/serializers/note.js';
import type { Circle } from '../../../src/domain/circles/circle.js';
import type { Post, Thread } from '../../../src/domain/threads/thread.js';

const origin = 'https://hearth.example';
const iris = noteIris(actorIris(new URL(origin)), origin);
const circle: Circle = { id: 1, slug: 'voices', name: 'Hearing voices', purpose: '', visibility: 'public', createdBy: 1, createdAt: new Date(), lastActivityAt: new Date() };
const thread: Thread = { id: 7, circleId: 1, remoteCircleId: null, title: 'A <hard> week', authorId: 2, author: { handle: 'alice', displayName: '' }, replyCount: 1, createdAt: new Date(), lastActivityAt: new Date(), resolvedAt: null };
const base: Post = {
  id: 10, threadId: 7, authorId: 2, author: { handle: 'alice', displayName: 'Alice' }, remoteAuthor: null, apId: null, isOpening: true, source: 'Loud *week*',
  html: '<p>Loud <em>week</em></p>', plainText: ' Loud  week  ', contentWarning: null, language: null,
  heldReason: null, state: 'visible', createdAt: new Date('2026-11-20T10:00:00Z'),
  editedAt: null, deletedAt: null, revisionCount: 0,
};

describe('posts as ActivityStreams Notes', () => {
  it('makes an opening post a Note with its title as name and at the top of its content', () => {
    const note = serializeNote(base, thread, circle, iris, 10);
    expect(note).to.deep.include({
      id: 'https://hearth.example/p/10',
      type: 'Note',
      name: 'A <hard> week',
      attributedTo: 'https://hearth.example/u/alice',
      audience: 'https://hearth.example/c/voices',
      context: 'https://hearth.example/c/voices/t/7',
      sensitive: false,
      published: '2026-11-20T10:00:00.000Z',
    });
    expect(note.content).to.equal('<p><strong>A &lt;hard&gt; week</strong></p><p>Loud <em>week</em></p>');
    expect(note.to).to.deep.equal(['https://www.w3.org/ns/activitystreams#Public']);
    expect(note.cc).to.deep.equal(['https://hearth.example/c/voices', 'https://hearth.example/c/voices/followers']);
    expect(note).not.to.have.property('inReplyTo');
    expect(note).not.to.have.property('summary');
  });

  it('makes a reply a Note in reply to the opening post, with its content warning as summary', () => {
    const reply = serializeNote({ ...base, id: 11, isOpening: false, contentWarning: 'voices', editedAt: new Date('2026-11-21T00:00:00Z') }, thread, circle, iris, 10);
    expect(reply).to.deep.include({ inReplyTo: 'https://hearth.example/p/10', summary: 'voices', sensitive: true, updated: '2026-11-21T00:00:00.000Z' });
    expect(reply).not.to.have.property('name');
    expect(reply.content).to.equal('<p>Loud <em>week</em></p>');
  });

  it('says the post’s language with contentMap (and summaryMap) next to content, and nothing when it is not known', () => {
    const reply = serializeNote({ ...base, id: 11, isOpening: false, contentWarning: 'Stimmen', language: 'de' }, thread, circle, iris, 10);
    expect(reply.contentMap).to.deep.equal({ de: '<p>Loud <em>week</em></p>' });
    expect(reply.summaryMap).to.deep.equal({ de: 'Stimmen' });
    expect(reply.content).to.equal('<p>Loud <em>week</em></p>');
    const opening = serializeNote({ ...base, language: 'es' }, thread, circle, iris, 10);
    expect(opening.contentMap).to.deep.equal({ es: opening.content });
    expect(opening).not.to.have.property('summaryMap');
    const unknown = serializeNote(base, thread, circle, iris, 10);
    expect(unknown).not.to.have.property('contentMap');
  });

  it('declares the terms it uses that ActivityStreams lacks', () => {
    const note = serializeNote(base, thread, circle, iris, 10);
    const ctx = note['@context'] as unknown[];
    expect(ctx[0]).to.equal('https://www.w3.org/ns/activitystreams');
    expect(ctx[2]).to.deep.include({ sensitive: 'as:sensitive' });
  });

  it('leaves a Tombstone for a deleted post', () => {
    const t = serializeTombstone({ ...base, state: 'deleted', deletedAt: new Date('2026-11-22T00:00:00Z') }, iris);
    expect(t).to.deep.include({ id: 'https://hearth.example/p/10', type: 'Tombstone', formerType: 'Note', deleted: '2026-11-22T00:00:00.000Z' });
  });
});
