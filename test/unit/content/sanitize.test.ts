import { expect } from 'chai';
import { JSDOM } from 'jsdom';
import { MAX_HTML_DEPTH, nestingDepth } from '../../../src/content/html-shape.js';
import { htmlToPlainText } from '../../../src/content/plain-text.js';
import { renderMarkdown, sanitizeHtml } from '../../../src/content/render-pool.js';
import { XSS_PAYLOADS } from './xss-payloads.js';

const FORBIDDEN_ELEMENTS = ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'form', 'meta', 'base', 'link', 'input', 'button', 'template', 'noscript', 'video', 'source', 'marquee', 'details', 'body'];
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'data', 'poster', 'background'];

/** Everything in `html` that a browser could run, described in words (empty when safe). */
function executableParts(html: string): string[] {
  const doc = new JSDOM(`<!doctype html><body>${html}</body>`).window.document;
  const problems: string[] = [];
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.includes(tag)) problems.push(`<${tag}> element`);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${name} handler on <${tag}>`);
      if (name === 'style') problems.push(`style on <${tag}>`);
      if (URL_ATTRIBUTES.includes(name)) {
        // eslint-disable-next-line no-control-regex
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(value)) problems.push(`${name}="${attr.value}" on <${tag}>`);
        if (name === 'srcset') problems.push(`srcset on <${tag}>`);
      }
    }
  }
  return problems;
}

describe('sanitising HTML and markdown', () => {
  it('covers at least 40 known payloads', () => {
    expect(XSS_PAYLOADS.length).to.be.at.least(40);
  });

  it('the check itself recognises executable markup (so these tests can fail)', () => {
    expect(executableParts('<img src=x onerror=alert(1)>')).to.deep.equal(['onerror handler on <img>']);
    expect(executableParts('<a href=" java\tscript:x">y</a>')).to.have.length(1);
    expect(executableParts('<svg></svg><p style="x">y</p>')).to.have.length(2);
  });

  for (const payload of XSS_PAYLOADS) {
    it(`leaves nothing executable: ${JSON.stringify(payload).slice(0, 70)}`, async () => {
      const fromHtml = await sanitizeHtml(payload);
      const fromMarkdown = await renderMarkdown(payload);
      expect(executableParts(fromHtml), fromHtml).to.deep.equal([]);
      expect(executableParts(fromMarkdown), fromMarkdown).to.deep.equal([]);
    });
  }

  it('gives every link rel="nofollow noopener ugc" and no target', async () => {
    const html = await sanitizeHtml('<a href="https://a.example" rel="opener" target="_blank">a</a> <a href="/c/voices">b</a>');
    const links = Array.from(new JSDOM(html).window.document.querySelectorAll('a'));
    expect(links).to.have.length(2);
    for (const a of links) {
      expect(a.getAttribute('rel')).to.equal('nofollow noopener ugc');
      expect(a.hasAttribute('target')).to.equal(false);
    }
    expect(await renderMarkdown('see https://example.org')).to.contain('<a href="https://example.org" rel="nofollow noopener ugc">');
  });

  it('keeps https images, lazy and without a referrer, and drops others', async () => {
    const html = await renderMarkdown('![a cat](https://img.example/cat.png) ![b](http://img.example/b.png)');
    expect(html).to.contain('src="https://img.example/cat.png"');
    expect(html).to.contain('loading="lazy"');
    expect(html).to.contain('referrerpolicy="no-referrer"');
    expect(html).not.to.contain('http://img.example');
  });

  it('renders ordinary markdown as people expect', async () => {
    const html = await renderMarkdown('Some *soft* and **strong** words.\n\n- one\n- two\n\n> a quote\n\n```\nif (a < b) {}\n```');
    expect(html).to.contain('<em>soft</em>');
    expect(html).to.contain('<strong>strong</strong>');
    expect(html).to.contain('<li>one</li>');
    expect(html).to.contain('<blockquote>');
    expect(html).to.contain('if (a &lt; b) {}');
  });

  it('shows raw HTML typed in markdown as text', async () => {
    expect(await renderMarkdown('I typed <b>this</b>')).to.contain('I typed &lt;b&gt;this&lt;/b&gt;');
  });

  it('keeps Mastodon-style HTML readable', async () => {
    const html = await sanitizeHtml(
      '<p>Hi <span class="h-card"><a href="https://m.example/@a" class="u-url mention" target="_blank">@<span>a</span></a></span> <a href="https://m.example/tags/peer" class="mention hashtag" rel="tag">#<span>peer</span></a></p>',
    );
    expect(html).to.contain('<span class="h-card"><a href="https://m.example/@a" class="u-url mention" rel="nofollow noopener ugc">@<span>a</span></a></span>');
    expect(html).to.contain('class="mention hashtag"');
  });

  it('copes with empty and very large input', async () => {
    expect(await sanitizeHtml('')).to.equal('');
    expect(await renderMarkdown('')).to.equal('');
    const big = 'word '.repeat(40_000);
    expect((await renderMarkdown(big)).length).to.be.greaterThan(100_000);
  });

  it('makes short plain-text excerpts cut at a word', async () => {
    expect(htmlToPlainText('<p>One &amp; two</p><p>three</p>')).to.equal('One & two three');
    expect(htmlToPlainText('<p>alpha beta gamma delta</p>', 15)).to.equal('alpha beta…');
    expect(htmlToPlainText('a<br>b<br/>c &amp;lt; d')).to.equal('a b c &lt; d');
  });

  it('reads text out of HTML that never closes its tags, all of it', () => {
    // A regex that looked for each tag's end from every `<` took 26 s on this.
    const opens = '<'.repeat(200_000);
    expect(htmlToPlainText(opens)).to.equal(opens);
    expect(htmlToPlainText(`<p>a</p>${'<x'.repeat(100_000)}`)).to.equal(`a ${'<x'.repeat(100_000)}`);
  });

  it('flattens HTML nested deeper than a post needs to its text, and keeps ordinary nesting', async () => {
    const deep = `${'<div>'.repeat(10_000)}deep words${'</div>'.repeat(10_000)}`;
    expect(nestingDepth(deep)).to.equal(10_000);
    expect(await sanitizeHtml(deep)).to.equal('<p>deep words</p>');
    expect(await sanitizeHtml(`${'<blockquote>'.repeat(MAX_HTML_DEPTH + 1)}<script>x</script>`)).to.equal('<p>x</p>');
    const fine = `${'<blockquote>'.repeat(20)}kept${'</blockquote>'.repeat(20)}`;
    expect(await sanitizeHtml(fine)).to.equal(fine);
    expect(nestingDepth('<p>a<br>b<img src="x"><hr/></p>')).to.equal(1);
  });

  it('renders a very wide markdown table', async () => {
    const table = `| a | b |\n|---|---|\n${'| x | y |\n'.repeat(2500)}`;
    const html = await renderMarkdown(table);
    expect(html).to.contain('<table>');
    expect(html.match(/<tr>/g)).to.have.length(2501);
  });
});
