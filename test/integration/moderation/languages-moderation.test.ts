import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { expectNoEnglish, readIn, sendIn } from '../../helpers/languages.js';
import { freshHearth, Visitor } from '../../helpers/test-hearth.js';
import { idFrom, moderatedCircle, type Cast } from './moderation-helpers.js';

const AGREEMENT = 'Circle agreement 5 (version 1): No harassment, threats, or hateful words about anyone.';

/** Peer moderation in German and Spanish: reporting, the review queue, the public log, refusals. */
describe('moderation in other languages', () => {
  let hearth: Hearth;
  let clock: ManualClock;
  let cast: Cast;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    hearth = await freshHearth({ clock });
    cast = await moderatedCircle(hearth, clock.now());
  });
  afterEach(() => hearth.close());

  const p = (h: string) => cast.people[h]!;

  it('shows the report form in German and Spanish', async () => {
    const de = await readIn(p('elm'), `/report?post=${cast.postId}`, 'de');
    expect(de.status).to.equal(200);
    expectNoEnglish(de.text, ['What’s the matter', 'Harassment or threats', 'Send report', 'Reports go to peers', 'Show the post you', 'Moderators of the circle will look at it'], { lang: 'de' });
    expect(de.text).to.contain('Worum geht es?');
    expect(de.text).to.contain('Belästigung oder Drohungen');
    expect(de.text).to.contain('Die Moderator*innen des Kreises schauen es sich an.');
    expect(de.text).to.contain('Meldung schicken');

    const es = await readIn(p('elm'), `/report?post=${cast.postId}`, 'es');
    expectNoEnglish(es.text, ['What’s the matter', 'Harassment or threats', 'Send report', 'Reports go to peers'], { lang: 'es' });
    expect(es.text).to.contain('¿Qué pasa?');
    expect(es.text).to.contain('Acoso o amenazas');
    expect(es.text).to.contain('Enviar señalamiento');

    // A refusal next to its field, in German.
    const missing = await sendIn(p('elm'), `/report?post=${cast.postId}`, '/report', { post: String(cast.postId), reason: '' }, 'de');
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain('Wähle bitte einen Grund.');
  });

  it('shows a circle’s review queue in German and Spanish', async () => {
    expect((await p('elm').submit(`/report?post=${cast.postId}`, '/report', { post: String(cast.postId), reason: 'harassment', note: 'Das fühlte sich bedrohlich an.' })).status).to.equal(303);

    const de = await readIn(p('ash'), '/c/voices/review', 'de');
    expect(de.status).to.equal(200);
    expectNoEnglish(de.text, ['Open reports', 'Harassment or threats', 'Act on the post', 'Close the report', 'Step back from this case', 'Waiting for a second moderator', 'Posts waiting for review', 'The reporter’s note'], { lang: 'de' });
    expect(de.text).to.contain('<h1>Prüfen: Hearing voices</h1>');
    expect(de.text).to.contain('Offene Meldungen');
    expect(de.text).to.contain('Belästigung oder Drohungen');
    expect(de.text).to.contain('Zum Beitrag handeln');
    expect(de.text).to.contain('Die Notiz der meldenden Person');
    expect(de.text).to.contain('Mich aus diesem Fall zurückziehen');

    const es = await readIn(p('ash'), '/c/voices/review', 'es');
    expectNoEnglish(es.text, ['Open reports', 'Harassment or threats', 'Act on the post', 'Close the report', 'In effect'], { lang: 'es' });
    expect(es.text).to.contain('<h1>Revisión: Hearing voices</h1>');
    expect(es.text).to.contain('Señalamientos abiertos');
    expect(es.text).to.contain('Acoso o amenazas');
    expect(es.text).to.contain('Cerrar el señalamiento');

    // The acting form, its kinds and agreements, in German; the value recorded stays as it was.
    const act = await readIn(p('ash'), `/moderation/act?post=${cast.postId}`, 'de');
    expectNoEnglish(act.text, ['What to do', 'Hide the post', 'Do this'], { lang: 'de' });
    expect(act.text).to.contain('Den Beitrag verbergen');
    expect(act.text).to.contain(`value="${AGREEMENT}"`);
    expect(act.text).to.contain('Vereinbarung 5 des Kreises (Fassung 1)');
  });

  it('shows the public moderation log, the member’s page and a refusal in German', async () => {
    const hidden = await p('ash').submit(`/moderation/act?post=${cast.postId}`, '/moderation/act', {
      kind: 'hide_post',
      post: String(cast.postId),
      agreement: AGREEMENT,
      reason: 'Reads as a threat; hiding while we talk.',
    });
    expect(hidden.status).to.equal(303);

    const log = await readIn(new Visitor(hearth), '/moderation/log', 'de');
    expect(log.status).to.equal(200);
    expectNoEnglish(log.text, ['Every action, confirmation', 'Agreement:', 'Reason:', 'Moderators:', 'Older entries', 'This is everything logged'], { lang: 'de' });
    expect(log.text).to.contain('<span class="tag">Maßnahme</span>');
    expect(log.text).to.contain(`Vereinbarung: ${AGREEMENT}`);
    expect(log.text).to.contain('Moderator*innen: @ash');
    expect(log.text).to.contain('Jede Maßnahme, Bestätigung');
    // What happened, in German too; the English words stay in the entry for older readers.
    expect(log.text).to.contain('Beitrag verborgen');
    expect(log.text).to.contain('Das bleibt nur, wenn eine zweite Moderator*in es bestätigt.');
    expect(log.text).not.to.contain('Hid a post');
    expect((await new Visitor(hearth).get('/moderation/log')).text).to.contain('Hid a post');

    // The member the action is about sees it in their language, with its state.
    const hub = await readIn(p('dawn'), '/moderation', 'de');
    expectNoEnglish(hub.text, ['Actions about you or your posts', 'Hide the post', 'waiting for a second moderator', 'Appeal this', 'Your reports'], { lang: 'de' });
    expect(hub.text).to.contain('Maßnahmen, die dich oder deine Beiträge betreffen');
    expect(hub.text).to.contain('Den Beitrag verbergen · in Kraft, wartet auf eine zweite Moderator*in');
    expect(hub.text).to.contain('Einspruch einlegen');

    // The moderator who acted can't confirm their own action: said in German.
    const queue = await p('ash').get('/c/voices/review');
    const actionId = idFrom(queue.text, /\/moderation\/actions\/(\d+)\/step-back/);
    const own = await sendIn(p('ash'), '/c/voices/review', `/moderation/actions/${actionId}/confirm`, {}, 'de');
    expect(own.status).to.equal(403);
    expect(own.text).to.contain('<html lang="de"');
    expect(own.text).to.contain('Du hast diese Maßnahme ergriffen; eine zweite Moderator*in muss sie bestätigen.');
    expect(own.text).not.to.contain('a second moderator has to confirm it');

    // An action without its agreement, refused in Spanish next to the field.
    const missing = await sendIn(p('birch'), `/moderation/act?post=${cast.postId}`, '/moderation/act', { kind: 'add_content_warning', post: String(cast.postId), agreement: '', reason: '', contentWarning: 'x' }, 'es');
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain('Falta «Acuerdo»');
  });
});
