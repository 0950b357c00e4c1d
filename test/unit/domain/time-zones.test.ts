import { expect } from 'chai';
import { textIn } from '../../../src/i18n/translate.js';
import { cityOf, formatDateTime, resolveTimeZone, zoneChoice, zoneGroups, zoneShortName } from '../../../src/domain/time-zones.js';

const WINTER = new Date('2026-01-15T12:00:00Z');
const SUMMER = new Date('2026-07-15T12:00:00Z');

describe('the list of time zones', () => {
  it('groups every zone by region, UTC first, cities in alphabetical order', () => {
    const groups = zoneGroups(WINTER);
    expect(groups[0]).to.deep.equal({ region: 'Universal', zones: [{ value: 'UTC', city: 'UTC (Coordinated Universal Time)', label: 'UTC (Coordinated Universal Time)' }] });
    const regions = groups.map((g) => g.region);
    expect(regions).to.include.members(['Africa', 'Americas', 'Asia', 'Europe', 'Pacific Ocean']);
    const europe = groups.find((g) => g.region === 'Europe')!.zones;
    const cities = europe.map((z) => z.city);
    expect(cities).to.deep.equal([...cities].sort((a, b) => a.localeCompare(b, 'en')));
    // Every zone the runtime knows is offered exactly once.
    const all = groups.flatMap((g) => g.zones.map((z) => z.value));
    expect(new Set(all).size).to.equal(all.length);
    expect(all).to.include.members(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo']);
    expect(all.length).to.equal(Intl.supportedValuesOf('timeZone').length + (Intl.supportedValuesOf('timeZone').includes('UTC') ? 0 : 1));
  });

  it('names each zone by its city, with its offset from UTC on the day', () => {
    expect(zoneChoice('Europe/Berlin', WINTER).label).to.equal('Berlin (UTC+01:00)');
    expect(zoneChoice('Europe/Berlin', SUMMER).label).to.equal('Berlin (UTC+02:00)');
    expect(zoneChoice('America/New_York', WINTER).label).to.equal('New York (UTC−05:00)');
    expect(zoneChoice('Asia/Kolkata', WINTER).label).to.match(/^Kolkata \(UTC\+05:30\)$|^Calcutta \(UTC\+05:30\)$/);
    expect(zoneChoice('Europe/London', WINTER).label).to.equal('London (UTC)');
    expect(cityOf('America/Argentina/Ushuaia')).to.equal('Ushuaia (Argentina)');
    expect(cityOf('America/North_Dakota/New_Salem')).to.equal('New Salem (North Dakota)');
  });

  it('understands zone names, cities and its own labels, and says plainly what it cannot place', () => {
    expect(resolveTimeZone('Europe/Berlin')).to.deep.equal({ ok: true, zone: 'Europe/Berlin' });
    expect(resolveTimeZone('europe/berlin')).to.deep.equal({ ok: true, zone: 'Europe/Berlin' });
    expect(resolveTimeZone('Berlin')).to.deep.equal({ ok: true, zone: 'Europe/Berlin' });
    expect(resolveTimeZone(' new york ')).to.deep.equal({ ok: true, zone: 'America/New_York' });
    expect(resolveTimeZone('Sao Paulo')).to.deep.equal({ ok: true, zone: 'America/Sao_Paulo' });
    expect(resolveTimeZone('New York (UTC−05:00)')).to.deep.equal({ ok: true, zone: 'America/New_York' });
    expect(resolveTimeZone('utc')).to.deep.equal({ ok: true, zone: 'UTC' });
    for (const nonsense of ['Atlantis', 'Mars/Olympus_Mons', '+01:00', 'x'.repeat(200)]) {
      const found = resolveTimeZone(nonsense);
      expect(found.ok, nonsense).to.equal(false);
      if (!found.ok) expect(textIn('en', found.problem)).to.contain('Hearth doesn’t know that time zone');
    }
    const empty = resolveTimeZone('  ');
    expect(empty.ok).to.equal(false);
  });

  it('writes one date format for everyone, in the zone given, with the zone’s short name', () => {
    expect(formatDateTime(WINTER, 'UTC')).to.equal('15 Jan 2026, 12:00 UTC');
    expect(formatDateTime(WINTER, 'Europe/Berlin')).to.equal('15 Jan 2026, 13:00 CET');
    expect(formatDateTime(SUMMER, 'Europe/Berlin')).to.equal('15 Jul 2026, 14:00 CEST');
    expect(formatDateTime(WINTER, 'America/New_York')).to.equal('15 Jan 2026, 07:00 EST');
    expect(formatDateTime(SUMMER, 'Europe/London')).to.equal('15 Jul 2026, 13:00 BST');
    // Where English has no short name, the offset stands in.
    expect(zoneShortName(WINTER, 'Asia/Kolkata')).to.equal('GMT+5:30');
    // A zone the runtime does not know falls back to UTC rather than failing the page.
    expect(formatDateTime(WINTER, 'Nowhere/Special')).to.equal('15 Jan 2026, 12:00 UTC');
  });
});
