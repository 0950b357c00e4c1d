import { expect } from 'chai';
import { PreparedNames } from '../../../src/storage/pg-database.js';
import { viewHelpers } from '../../../src/web/view-helpers.js';
import { formatDateTime } from '../../../src/domain/time-zones.js';
import type Handlebars from 'handlebars';

describe('member pages, made cheaper', () => {
  it('prepares a statement from its second use, under one name, and at most so many texts', () => {
    const names = new PreparedNames(2);
    expect(names.nameFor('SELECT 1 WHERE $1')).to.equal(undefined);
    const first = names.nameFor('SELECT 1 WHERE $1');
    expect(first).to.be.a('string');
    expect(names.nameFor('SELECT 1 WHERE $1')).to.equal(first);
    names.nameFor('SELECT 2 WHERE $1');
    const second = names.nameFor('SELECT 2 WHERE $1');
    expect(second).to.be.a('string').and.not.equal(first);
    names.nameFor('SELECT 3 WHERE $1');
    expect(names.nameFor('SELECT 3 WHERE $1')).to.equal(undefined);
  });

  it('words the same message with other values differently, and the same values the same, in each language', () => {
    const options = (locale: string, hash: Record<string, unknown>) => ({ hash, data: { root: { locale } } }) as unknown as Handlebars.HelperOptions;
    const one = String(viewHelpers.t('common.footer.about_instance', options('en', { name: 'Hearth A' })));
    const two = String(viewHelpers.t('common.footer.about_instance', options('en', { name: 'Hearth B' })));
    expect(one).to.contain('Hearth A');
    expect(two).to.contain('Hearth B');
    expect(String(viewHelpers.t('common.footer.about_instance', options('en', { name: 'Hearth A' })))).to.equal(one);
    expect(String(viewHelpers.t('common.footer.about_instance', options('de', { name: 'Hearth A' })))).to.not.equal(one);
    // Tags keep their values escaped, remembered or not.
    const link = () => String(viewHelpers.t('common.footer.stewards', options('en', { href: '/about?a=1&b="2"' })));
    expect(link()).to.contain('href="/about?a&#x3D;1&amp;b&#x3D;&quot;2&quot;"');
    expect(link()).to.equal(link());
  });

  it('words a date once per minute, zone and language, the same as before', () => {
    const at = new Date('2026-01-15T12:00:30Z');
    expect(formatDateTime(at, 'Europe/Berlin', 'en')).to.equal('15 Jan 2026, 13:00 CET');
    expect(formatDateTime(new Date('2026-01-15T12:00:59Z'), 'Europe/Berlin', 'en')).to.equal('15 Jan 2026, 13:00 CET');
    expect(formatDateTime(at, 'UTC', 'en')).to.equal('15 Jan 2026, 12:00 UTC');
    expect(formatDateTime(new Date('2026-07-15T12:00:00Z'), 'Europe/Berlin', 'en')).to.equal('15 Jul 2026, 14:00 CEST');
  });
});
