import { expect } from 'chai';
import { noteContent } from '../../../src/federation/incoming-notes.js';

describe('the language of a Note from elsewhere (issue 13)', () => {
  it('is contentMap’s one key, as Mastodon writes it', () => {
    expect(noteContent({ content: '<p>Hallo</p>', contentMap: { de: '<p>Hallo</p>' } })).to.deep.equal({ content: '<p>Hallo</p>', language: 'de' });
    // apex keeps values as arrays.
    expect(noteContent({ content: ['<p>Hola</p>'], contentMap: [{ es: '<p>Hola</p>' }] })).to.deep.equal({ content: '<p>Hola</p>', language: 'es' });
  });

  it('is, among several, the one whose text is the content; without content, the first is both', () => {
    expect(noteContent({ content: '<p>Bonjour</p>', contentMap: { en: '<p>Hello</p>', fr: '<p>Bonjour</p>' } }).language).to.equal('fr');
    expect(noteContent({ content: '<p>Ciao</p>', contentMap: { en: '<p>Hello</p>', fr: '<p>Bonjour</p>' } }).language).to.equal(null);
    expect(noteContent({ contentMap: { 'pt-BR': '<p>Olá</p>', en: '<p>Hello</p>' } })).to.deep.equal({ content: '<p>Olá</p>', language: 'pt' });
  });

  it('is else the @language of its @context, or a top-level language', () => {
    expect(noteContent({ '@context': ['https://www.w3.org/ns/activitystreams', { '@language': 'nl' }], content: '<p>Hoi</p>' }).language).to.equal('nl');
    expect(noteContent({ content: '<p>Hei</p>', language: 'fi' }).language).to.equal('fi');
  });

  it('is not known (null) when nothing says it or what says it is no language tag', () => {
    expect(noteContent({ content: '<p>Hello</p>' }).language).to.equal(null);
    expect(noteContent({ contentMap: { 'not a language!': '<p>Odd</p>' } })).to.deep.equal({ content: '<p>Odd</p>', language: null });
    expect(noteContent({ content: '<p>x</p>', contentMap: { und: '<p>x</p>' } }).language).to.equal(null);
    expect(noteContent({ content: '<p>x</p>', contentMap: { toolong: '<p>x</p>' } }).language).to.equal(null);
  });
});
