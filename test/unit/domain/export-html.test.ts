import { expect } from 'chai';
import { exportToHtml, humanize } from '../../../src/domain/leaving/export-html.js';
import type { MemberExport } from '../../../src/domain/leaving/leaving.js';
import { XSS_PAYLOADS } from '../content/xss-payloads.js';

const doc = (sections: Record<string, unknown>): MemberExport => ({
  format: 'hearth-export',
  version: 1,
  exportedAt: '2025-01-02T03:04:05.000Z',
  instance: { name: 'Tuesday <Group>', url: 'https://hearth.example' },
  handle: 'wren',
  timeZone: 'Europe/Berlin',
  language: 'en',
  sections,
  titles: { posts: 'Everything you posted' },
});

describe('the readable copy of an export', () => {
  it('shows every section, with plain headings, nested values and dates as text', () => {
    const html = exportToHtml(doc({ posts: [{ contentWarning: 'a hard night', earlierVersions: [{ sourceMarkdown: 'line one\nline two' }] }], otherModule: { votes: 3, agreed: false, when: new Date('2025-01-01T00:00:00Z') } }));
    expect(html).to.contain('<h2>Everything you posted</h2>');
    expect(html).to.contain('<h2>Other module</h2>');
    expect(html).to.contain('<dt>Content warning</dt><dd>a hard night</dd>');
    expect(html).to.contain('<pre>line one\nline two</pre>');
    expect(html).to.contain('<dt>Agreed</dt><dd>no</dd>');
    // In the member's zone, keeping the exact moment in the markup.
    expect(html).to.contain('<time datetime="2025-01-01T00:00:00.000Z">1 Jan 2025, 01:00 CET</time>');
    expect(html).to.contain('Copied on <time datetime="2025-01-02T03:04:05.000Z">2 Jan 2025, 04:04 CET</time>');
    expect(html).to.contain('What Tuesday &lt;Group&gt; holds about @wren');
    expect(humanize('sharePostsWithOtherServers')).to.equal('Share posts with other servers');
  });

  it('escapes everything, so no markup from the data survives', () => {
    const html = exportToHtml(doc({ posts: XSS_PAYLOADS.map((p) => ({ sourceMarkdown: p, [p]: p })) }));
    const body = html.slice(html.indexOf('<body>'));
    expect(body).not.to.match(/<(script|img|svg|iframe|isindex|style|object|embed|math|form)/i);
    expect(body).not.to.match(/\son\w+=/i);
    expect(html).to.contain("content=\"default-src 'none'; style-src 'unsafe-inline'\"");
  });
});
