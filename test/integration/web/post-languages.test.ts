import { expect } from 'chai';
import type { Hearth } from '../../../src/app.js';
import { rankPosts, SEARCH_CONFIG, SEARCH_CONFIGS } from '../../../src/storage/repositories/search-repository.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

async function languageOf(hearth: Hearth, source: string): Promise<string | null> {
  const rows = await hearth.db.query<{ language: string | null }>('SELECT language FROM posts WHERE source = $1', [source]);
  if (rows.length !== 1) throw new Error(`expected one post "${source}", found ${rows.length}`);
  return rows[0]!.language;
}

async function postIdOf(hearth: Hearth, source: string): Promise<number> {
  return (await hearth.db.query<{ id: number }>('SELECT id FROM posts WHERE source = $1', [source]))[0]!.id;
}

/** What the language list has selected. */
function selectedLanguage(html: string): string | undefined {
  const select = /<select id="language" name="language"[^>]*>([\s\S]*?)<\/select>/.exec(html);
  return select ? /<option value="([a-z]+)"[^>]*\sselected>/.exec(select[1]!)?.[1] : undefined;
}

describe('posts have a language (issue 13)', function () {
  this.timeout(60_000);
  let hearth: Hearth;
  let alice: Visitor;
  let bruno: Visitor;

  before(async function () {
    this.timeout(180_000);
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    alice = await memberVisitor(hearth, 'alice');
    bruno = await memberVisitor(hearth, 'bruno');
    await hearth.db.query("UPDATE members SET language = 'de' WHERE handle = 'bruno'");
  });

  it('is the author’s language unless they choose another, else the instance’s', async () => {
    expect(selectedLanguage((await alice.get('/c/voices/new')).text)).to.equal('en');
    expect(selectedLanguage((await bruno.get('/c/voices/new')).text)).to.equal('de');

    const path = await startThread(alice, 'voices', { title: 'Mornings', body: 'Mornings are the hardest.' });
    expect(await languageOf(hearth, 'Mornings are the hardest.')).to.equal('en');
    await startThread(bruno, 'voices', { title: 'Morgens', body: 'Morgens ist es am schwersten.' });
    expect(await languageOf(hearth, 'Morgens ist es am schwersten.')).to.equal('de');

    // A reply through the service without a language: the author's.
    const [bruno_] = await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'bruno'");
    const author = (await hearth.services.members.findById(bruno_!.id))!;
    await hearth.services.threads.reply(author, Number(path.split('/').pop()), { body: 'Bei mir auch.' });
    expect(await languageOf(hearth, 'Bei mir auch.')).to.equal('de');
  });

  it('keeps the language chosen on the form, and shows it as the post’s lang', async () => {
    const path = await startThread(alice, 'voices', { title: 'Hola', body: 'Escucho voces por la noche.', language: 'es' });
    expect(await languageOf(hearth, 'Escucho voces por la noche.')).to.equal('es');
    const reply = await alice.submit(path, `${path}/reply`, { body: 'Je les entends aussi.', contentWarning: '', language: 'fr' });
    expect(reply.status, reply.text).to.equal(303);
    expect(await languageOf(hearth, 'Je les entends aussi.')).to.equal('fr');

    const page = (await alice.get(path)).text;
    expect(page).to.contain(`<article class="post post-opening" id="post-${await postIdOf(hearth, 'Escucho voces por la noche.')}"`);
    expect(page).to.match(/<div class="post-body" lang="es">\s*<p>Escucho voces por la noche.<\/p>/);
    expect(page).to.match(/<div class="post-body" lang="fr">\s*<p>Je les entends aussi.<\/p>/);
    expect(page).not.to.contain('[object Object]');
  });

  it('is kept by an edit that says nothing, and changed by one that chooses', async () => {
    const path = await startThread(alice, 'voices', { title: 'Wrong one', body: 'Written in English.', language: 'de' });
    const id = await postIdOf(hearth, 'Written in English.');
    expect(selectedLanguage((await alice.get(`/p/${id}/edit`)).text)).to.equal('de');
    const fixed = await alice.submit(`/p/${id}/edit`, `/p/${id}/edit`, { title: 'Wrong one', body: 'Written in English.', contentWarning: '', language: 'en' });
    expect(fixed.status, fixed.text).to.equal(303);
    expect(await languageOf(hearth, 'Written in English.')).to.equal('en');
    const [me] = await hearth.db.query<{ id: number }>("SELECT id FROM members WHERE handle = 'alice'");
    const author = (await hearth.services.members.findById(me!.id))!;
    await hearth.services.threads.edit(author, id, { title: 'Wrong one', body: 'Still written in English.' });
    expect(await languageOf(hearth, 'Still written in English.')).to.equal('en');
    expect(path).to.match(/\/c\/voices\/t\/\d+$/);
  });

  it('refuses a language Hearth does not offer, keeping what was typed', async () => {
    const res = await alice.submit('/c/voices/new', '/c/voices/new', { title: 'Kept title', body: 'Words I would not want to lose.', contentWarning: '', language: 'xx' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Choose the language of your post from the list.');
    expect(res.text).to.contain('Words I would not want to lose.</textarea>');
    expect(res.text).to.contain('value="Kept title"');
    expect(res.text).to.match(/<select id="language" name="language" aria-describedby="language-hint language-error">/);
    expect((await hearth.db.query("SELECT 1 FROM posts WHERE source = 'Words I would not want to lose.'")).length).to.equal(0);
  });

  it('words the language list in the page’s language (German, Spanish)', async () => {
    const de = await alice.agent.get('/c/voices/new').set('Accept', 'text/html').set('Accept-Language', 'de');
    expect(de.text).to.contain('<html lang="de"');
    expect(de.text).to.contain('Sprache deines Beitrags');
    expect(de.text).to.contain('<option value="de" lang="de">Deutsch</option>');
    expect(de.text).not.to.contain('The language you’re writing in');
    expect(de.text).not.to.contain('[object Object]');
    const es = await alice.agent.get('/c/voices/new').set('Accept', 'text/html').set('Accept-Language', 'es');
    expect(es.text).to.contain('<html lang="es"');
    expect(es.text).to.contain('Idioma de tu publicación');
    expect(es.text).not.to.contain('The language you’re writing in');
    expect(es.text).not.to.contain('[object Object]');
    const refused = await alice.agent.post('/c/voices/new').type('form').set('Accept', 'text/html').set('Accept-Language', 'de')
      .send({ title: 'T', body: 'B', language: 'xx', _csrf: await alice.token('/c/voices/new') });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Wähle die Sprache deines Beitrags aus der Liste.');
  });
});

describe('searching posts in their own language (issue 13)', function () {
  this.timeout(60_000);
  let hearth: Hearth;

  before(async function () {
    this.timeout(180_000);
    hearth = await freshHearth();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices', 'Hearing voices');
    const alice = await memberVisitor(hearth, 'alice');
    await startThread(alice, 'voices', { title: 'Abends', body: 'Abends werden die Stimmen lauter.', language: 'de' });
    await startThread(alice, 'voices', { title: 'Noches', body: 'Por las noches escuchaba voces.', language: 'es' });
    await startThread(alice, 'voices', { title: 'Evenings', body: 'In the evenings the voices are louder.', language: 'en' });
    await startThread(alice, 'voices', { title: 'Plain', body: 'Stimmen ohne Sprache.', language: '' });
    await hearth.db.query("UPDATE posts SET language = NULL WHERE source = 'Stimmen ohne Sprache.'");
  });

  const found = async (text: string) => {
    const { hits } = await rankPosts(hearth.db, { text, viewerId: null, blockedIds: [], circleSlug: null, authorHandle: null, from: null, to: null, timeZone: 'UTC' }, 20);
    const sources = await hearth.db.query<{ id: number; source: string }>('SELECT id, source FROM posts WHERE id = ANY($1::int[])', [hits.map((h) => h.postId)]);
    return sources.map((s) => s.source).sort();
  };

  it('finds a German post saying “Stimmen” by “Stimme”, a Spanish one by “escuchar”, an English one by “voice”', async () => {
    expect(await found('Stimme')).to.deep.equal(['Abends werden die Stimmen lauter.']);
    expect(await found('escuchar')).to.deep.equal(['Por las noches escuchaba voces.']);
    expect(await found('voice')).to.deep.equal(['In the evenings the voices are louder.']);
  });

  it('matches posts of no known language word for word, as before', async () => {
    expect(await found('Stimmen')).to.deep.equal(['Abends werden die Stimmen lauter.', 'Stimmen ohne Sprache.']);
  });

  it('builds each post’s vector in the configuration of its language, the same ones the queries use', async () => {
    const [row] = await hearth.db.query<{ expr: string }>(
      `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr FROM pg_attrdef d
       JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
       WHERE a.attname = 'search_body' AND d.adrelid = 'posts'::regclass`,
    );
    for (const [tag, config] of Object.entries(SEARCH_CONFIGS)) expect(row!.expr).to.contain(`'${tag}'::text THEN '${config}'::regconfig`);
    expect(row!.expr).to.contain(`ELSE '${SEARCH_CONFIG}'::regconfig`);
    const configs = await hearth.db.query<{ cfgname: string }>('SELECT cfgname FROM pg_ts_config');
    for (const config of Object.values(SEARCH_CONFIGS)) expect(configs.map((c) => c.cfgname)).to.include(config);
  });
});
