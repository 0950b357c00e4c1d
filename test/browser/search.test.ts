import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { browserSuite, expectAccessible } from '../helpers/browser.js';
import { admitToCircle, memberVisitor, openCircle, startThread } from '../helpers/test-hearth.js';

describe('search: each person finds what they may read (browser)', function () {
  this.timeout(180_000);
  const suite = browserSuite({ steward: true });

  before(async () => {
    const steward = suite.steward;
    await openCircle(steward, 'voices', 'Hearing voices');
    await openCircle(steward, 'inner', 'Inner room', 'members');
    const sky = await memberVisitor(suite.hearth, 'sky');
    await memberVisitor(suite.hearth, 'moss');
    await admitToCircle(steward, sky, 'inner');
    await startThread(steward, 'voices', { title: 'Walking by the river', body: 'A slow walk helps on loud days.' });
    await startThread(steward, 'inner', { title: 'A quiet walk together', body: 'Only for the inner room: a walk `<on Sunday>`.' });
  });

  /** Fills in the form as a person does and returns the results' titles. */
  async function searchFor(p: Page, words: string): Promise<string[]> {
    await p.goto('/search');
    await expectAccessible(p, 'empty search page');
    await p.getByLabel('Words to look for').fill(words);
    await p.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
    await p.waitForURL(`**/search?q=${words}**`);
    await expectAccessible(p, 'results page');
    return p.locator('.search-hit h3').allInnerTexts();
  }

  it('a visitor finds public threads only', async () => {
    const visitor = await suite.person();
    expect(await searchFor(visitor, 'walk')).to.deep.equal(['Walking by the river']);
    expect(await visitor.locator('.search-hit mark').first().innerText()).to.equal('walk');
  });

  it('a member of the members-only circle finds its threads too', async () => {
    const sky = await suite.person('sky');
    expect(await searchFor(sky, 'walk')).to.have.members(['Walking by the river', 'A quiet walk together']);
    expect(await sky.getByText('a walk <on Sunday>').count()).to.be.greaterThan(0);
    // Narrowing to that circle, from the list of circles.
    await sky.getByLabel('Circle').selectOption('inner');
    await sky.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
    await sky.waitForURL('**/search?q=walk&circle=inner**');
    expect(await sky.locator('.search-hit h3').allInnerTexts()).to.deep.equal(['A quiet walk together']);
  });

  it('a member outside it does not, and a bad day is explained next to its field', async () => {
    const moss = await suite.person('moss');
    expect(await searchFor(moss, 'walk')).to.deep.equal(['Walking by the river']);
    await moss.goto('/search?q=walk&from=2026-13-01');
    await expectAccessible(moss, 'search with a problem');
    expect(await moss.locator('#from-error').innerText()).to.contain('year-month-day');
  });
});
