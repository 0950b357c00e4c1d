import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { expectNoEnglish, readIn, sendIn } from '../../helpers/languages.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

/**
 * Circles, threads and posts in German and Spanish (issue 13): the pages a
 * member reads most, asked for with the browser's Accept-Language, with
 * plural counts in each language and a refused new thread's problem.
 */
describe('circles, threads and posts in German and Spanish', () => {
  let hearth: Hearth;
  let alice: Visitor;
  let bob: Visitor;
  let onePath: string;
  let threePath: string;

  before(async () => {
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    bob = await memberVisitor(hearth, 'bob');
    onePath = await startThread(alice, 'voices', { title: 'A quiet evening', body: 'Just checking in.', contentWarning: '' });
    threePath = await startThread(alice, 'voices', { title: 'A hard week', body: 'The voices were loud.', contentWarning: 'loud voices' });
    const reply = async (path: string, body: string) => {
      const res = await bob.submit(path, `${path}/reply`, { body, contentWarning: '' });
      expect(res.status).to.equal(303);
    };
    await reply(onePath, 'Glad you wrote.');
    for (const body of ['First answer.', 'Second answer.', 'Third answer.']) await reply(threePath, body);
  });
  after(() => hearth.close());

  /** English sentences of these pages that must not remain once they are in another language. */
  const ENGLISH = [
    'Waiting for a reply',
    'Latest threads',
    'Start a thread',
    'How this circle is kept safe',
    'Mark this circle read',
    'last active',
    'Content warning',
    'no replies yet',
    ' replies',
    '1 reply',
    'Post reply',
    'Your reply',
    'I hear you',
    'Thinking of you',
    'Tell me about',
    'open to read',
    'Ask a peer to check in',
    'Post thread',
    'can’t be empty',
    'Up to ',
  ];
  const noEnglish = (html: string, where: string) => expectNoEnglish(html, ENGLISH, { where });

  const LANGUAGES = [
    {
      lang: 'de',
      home: ['Kreise', 'Neueste Themen', '2 Themen', 'Wartet auf eine Antwort'],
      circle: ['Ein Thema beginnen', '1 Antwort', '3 Antworten', 'zuletzt aktiv', 'Inhaltshinweis: loud voices'],
      thread: ['3 Antworten', 'Ich höre dich', 'Ich denk an dich', 'Deine Antwort', 'Antwort senden', 'zum Lesen öffnen', 'Benachrichtige mich über'],
      form: ['Ein Thema in Hearing voices beginnen', 'Thema veröffentlichen', 'Bis zu'],
      titleNeeded: '„Titel“ darf nicht leer sein.',
    },
    {
      lang: 'es',
      home: ['Círculos', 'Hilos recientes', '2 hilos', 'Esperando respuesta'],
      circle: ['Empezar un hilo', '1 respuesta', '3 respuestas', 'última actividad', 'Aviso de contenido: loud voices'],
      thread: ['3 respuestas', 'Te escucho', 'Pienso en ti', 'Tu respuesta', 'Publicar respuesta', 'ábrela para leer', 'Avísame de'],
      form: ['Empezar un hilo en Hearing voices', 'Publicar hilo', 'Hasta'],
      titleNeeded: 'Falta «Título».',
    },
  ];

  for (const l of LANGUAGES) {
    describe(l.lang, () => {
      it('the home page', async () => {
        const res = await readIn(new Visitor(hearth), '/', l.lang);
        expect(res.status).to.equal(200);
        expect(res.text).to.contain(`<html lang="${l.lang}"`);
        for (const words of l.home) expect(res.text).to.contain(words);
        noEnglish(res.text, `${l.lang} /`);
      });

      it('a circle’s page, with each thread’s replies counted in the language’s plural', async () => {
        const res = await readIn(bob, '/c/voices', l.lang);
        expect(res.status).to.equal(200);
        expect(res.text).to.contain(`<html lang="${l.lang}"`);
        for (const words of l.circle) expect(res.text).to.contain(words);
        noEnglish(res.text, `${l.lang} /c/voices`);
      });

      it('a thread with replies, its reactions and the reply form', async () => {
        const res = await readIn(bob, threePath, l.lang);
        expect(res.status).to.equal(200);
        expect(res.text).to.contain(`<html lang="${l.lang}"`);
        for (const words of l.thread) expect(res.text).to.contain(words);
        noEnglish(res.text, `${l.lang} ${threePath}`);
      });

      it('the new-thread form, and its problem when the title is missing', async () => {
        const form = await readIn(alice, '/c/voices/new', l.lang);
        expect(form.status).to.equal(200);
        for (const words of l.form) expect(form.text).to.contain(words);
        noEnglish(form.text, `${l.lang} /c/voices/new`);
        const refused = await sendIn(alice, '/c/voices/new', '/c/voices/new', { title: '', body: 'Something I wanted to say.', contentWarning: '' }, l.lang);
        expect(refused.status).to.equal(400);
        expect(refused.text).to.contain(`<html lang="${l.lang}"`);
        expect(refused.text).to.contain(l.titleNeeded);
        expect(refused.text).to.contain('Something I wanted to say.');
        noEnglish(refused.text, `${l.lang} refused thread`);
      });
    });
  }
});
