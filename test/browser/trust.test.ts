import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageRoot } from '../../src/paths.js';
import { browserSuite, openMemberMenu, saveScreenshot } from '../helpers/browser.js';
import { memberVisitor, openCircle } from '../helpers/test-hearth.js';

const SHOTS = join(packageRoot, 'test', 'artifacts', 'screenshots');

/** Multi-line markdown with a list, a quote, a code block and indentation that must survive as typed. */
const versions = [
  'First lines of my post.\n\n- one thing\n- another thing\n  - nested under it\n\n> a quote I liked\n> on two lines\n\n```\ncode block\n    indented inside\n```\nlast line',
  'Changed once.\n\n1. first\n2. second\n\n> still quoting\n\n    four spaces: a code block\n\nend',
  'Changed twice.\n- a\n- b\n\n```js\nconst x = 1;\n  two spaces\n```',
  'Changed three times.\n\n> quote\n>\n> - list in a quote\n\ntrailing words',
];

describe('what people type comes back exactly, and private pages stay private (browser)', function () {
  this.timeout(180_000);
  const suite = browserSuite({ steward: true });

  before(async () => {
    await openCircle(suite.steward, 'voices');
    await memberVisitor(suite.hearth, 'sky');
    await suite.hearth.db.query("UPDATE members SET email = 'sky@example.org', bio = 'Private words about sky' WHERE handle = 'sky'");
  });

  const storedSource = async (postId: number) => (await suite.hearth.db.query<{ source: string }>('SELECT source FROM posts WHERE id = $1', [postId]))[0]!.source;

  it('keeps a post byte-identical through two refused sends and three edits', async () => {
    const page = await suite.person('sky');
    await page.goto('/c/voices/new');
    await page.getByLabel('Your post').fill(versions[0]!);
    // Refused: no title.
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Your post').inputValue()).to.equal(versions[0]);
    // Refused again: a content warning far too long.
    await page.getByLabel('Content warning').fill('x'.repeat(250));
    await page.getByLabel('Content warning').evaluate((el) => el.removeAttribute('maxlength'));
    await page.getByLabel('Content warning').fill('x'.repeat(250));
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Your post').inputValue()).to.equal(versions[0]);
    await page.getByLabel('Title').fill('Something I wrote');
    await page.getByLabel('Content warning').fill('');
    await page.getByRole('button', { name: 'Post thread' }).click();
    await page.waitForURL(/\/c\/voices\/t\/\d+$/);
    const postId = (await suite.hearth.db.query<{ id: number }>('SELECT id FROM posts ORDER BY id DESC LIMIT 1'))[0]!.id;
    expect(await storedSource(postId)).to.equal(versions[0]);

    for (let i = 1; i < versions.length; i++) {
      await page.goto(`/p/${postId}/edit`);
      expect(await page.getByLabel('Your post').inputValue()).to.equal(versions[i - 1]);
      await page.getByLabel('Your post').fill(versions[i]!);
      if (i === 1) {
        // A refused edit keeps the new words exactly too.
        await page.getByLabel('Title').fill('');
        await page.getByRole('button', { name: /save/i }).click();
        await page.locator('.error-summary').waitFor();
        expect(await page.getByLabel('Your post').inputValue()).to.equal(versions[i]);
        await page.getByLabel('Title').fill('Something I wrote');
      }
      await page.getByRole('button', { name: /save/i }).click();
      await page.waitForURL(/\/c\/voices\/t\/\d+/);
      expect(await storedSource(postId)).to.equal(versions[i]);
    }
    const history = await suite.hearth.db.query<{ source: string }>('SELECT source FROM post_revisions WHERE post_id = $1 ORDER BY id', [postId]);
    expect(history.map((r) => r.source)).to.deep.equal(versions.slice(0, -1));
  });

  it('makes one thread when a member sends the same form twice (a double click on a slow connection)', async () => {
    const page = await suite.person('sky');
    const count = async () => (await suite.hearth.db.query<{ n: number }>('SELECT count(*)::int AS n FROM threads'))[0]!.n;
    const before = await count();
    await page.goto('/c/voices/new');
    await page.getByLabel('Title').fill('Only once');
    await page.getByLabel('Your post').fill('Sent twice by mistake.');
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/c/voices/new')) posts++;
    });
    // Both sends leave the browser before the first answer comes back.
    await page.evaluate(() => {
      const form = document.querySelector('form[action="/c/voices/new"]') as HTMLFormElement;
      const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
      void fetch(form.action, { method: 'POST', body, redirect: 'manual' });
      form.submit();
    });
    await page.waitForURL(/\/c\/voices\/t\/\d+$/);
    expect(posts).to.equal(2);
    expect(await count()).to.equal(before + 1);
    expect(await page.locator('h1').innerText()).to.equal('Only once');
  });

  it('styles every form control alike on every form page (screenshots saved in test/artifacts/screenshots)', async () => {
    const formPages: Array<[string, string]> = [
      ['sky', '/c/voices/new'],
      ['sky', '/settings/profile'],
      ['sky', '/settings/break'],
      ['sky', '/settings/what-helps-me'],
      ['sky', '/settings/leave'],
      ['sky', '/moderation'],
      ['river', '/steward'],
      ['river', '/steward/support'],
      ['river', '/steward/circles/new'],
      ['river', '/c/voices/meetings'],
      ['river', '/c/voices/resources'],
      ['river', '/c/voices/rules'],
      ['river', '/moderation/act?circle=voices&member=sky'],
      ['river', '/c/voices/proposals/new'],
    ];
    mkdirSync(SHOTS, { recursive: true });
    const pages: Record<string, Page> = {};
    for (const [handle, path] of formPages) {
      pages[handle] ??= await suite.person(handle);
      const page = pages[handle]!;
      await page.goto(path);
      await saveScreenshot(page, { path: join(SHOTS, `form${path.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
      const odd = await page.evaluate(() =>
        [...document.querySelectorAll('main input, main textarea, main select')]
          .filter((el) => !['checkbox', 'radio', 'hidden', 'submit', 'button'].includes((el as HTMLInputElement).type))
          .map((el) => {
            const style = getComputedStyle(el);
            return { name: (el as HTMLInputElement).name, border: style.borderTopColor, padding: parseFloat(style.paddingTop), radius: parseFloat(style.borderTopLeftRadius) };
          })
          .filter((c) => c.border !== 'rgb(138, 127, 116)' || c.padding < 7 || c.radius < 4),
      );
      expect(odd, path).to.deep.equal([]);
    }
  });

  const privatePages: Array<[string, string, string]> = [
    ['sky', '/settings/profile', 'sky@example.org'],
    ['sky', '/settings/leave', 'Delete your account'],
    ['sky', '/settings/break', 'Quiet hours (leave empty for none)'],
    ['sky', '/settings/what-helps-me', 'A plan in your own words'],
    ['sky', '/moderation', 'Members you blocked'],
    ['river', '/steward', 'Instance settings'],
    ['river', '/steward/members', 'People waiting to join'],
    ['river', '/moderation/review', 'Review: instance'],
  ];

  it('shows nothing private when Back is pressed after logging out', async () => {
    for (const [handle, path, marker] of privatePages) {
      const page = await suite.person(handle);
      await page.goto(path);
      expect(await page.content(), path).to.contain(marker);
      await page.goto('/');
      await openMemberMenu(page);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.goBack();
      await page.waitForLoadState();
      expect(await page.content(), `${path} after logging out`).not.to.contain(marker);
    }
  });
});
