import { expect } from 'chai';
import { findMentionsNow, renderMarkdownNow } from '../../../src/content/markdown.js';
import { MAX_MENTIONS_FOUND } from '../../../src/content/mentions.js';

const LINKS = {
  alice: 'https://hearth.example/u/alice',
  'bob@example.org': 'https://example.org/@bob',
  'a@b.example': 'https://b.example/users/a',
};
const link = (href: string, text: string) => `<a href="${href}" class="u-url mention" rel="nofollow noopener ugc">${text}</a>`;
const ALICE = (text = '@alice') => link(LINKS.alice, text);

describe('@mentions in markdown', () => {
  it('turns known mentions into links, here and elsewhere, and finds them in order', () => {
    const source = 'Thanks @alice and @bob@example.org!';
    expect(findMentionsNow(source)).to.deep.equal(['alice', 'bob@example.org']);
    expect(renderMarkdownNow(source, LINKS)).to.equal(`<p>Thanks ${ALICE()} and ${link(LINKS['bob@example.org'], '@bob@example.org')}!</p>\n`);
  });

  it('reads @a@b.example as one mention of someone elsewhere', () => {
    expect(findMentionsNow('@a@b.example')).to.deep.equal(['a@b.example']);
    expect(renderMarkdownNow('@a@b.example', LINKS)).to.equal(`<p>${link(LINKS['a@b.example'], '@a@b.example')}</p>\n`);
  });

  it('leaves unknown handles as text (and never a mailto: link)', () => {
    expect(findMentionsNow('hi @nobody and @carol@nowhere.example')).to.deep.equal(['nobody', 'carol@nowhere.example']);
    expect(renderMarkdownNow('hi @nobody and @carol@nowhere.example', LINKS)).to.equal('<p>hi @nobody and @carol@nowhere.example</p>\n');
    expect(renderMarkdownNow('@carol@nowhere.example')).to.equal('<p>@carol@nowhere.example</p>\n');
  });

  it('finds nothing in code spans and code blocks', () => {
    const source = 'type `@alice` like this\n\n```\n@alice\n```\n\n    @alice indented';
    expect(findMentionsNow(source)).to.deep.equal([]);
    const html = renderMarkdownNow(source, LINKS);
    expect(html).to.contain('<code>@alice</code>');
    expect(html).to.not.contain('mention');
  });

  it('finds nothing in e-mail addresses, which stay mail links', () => {
    expect(findMentionsNow('write to alice@example.org or bob.smith+x@example.org')).to.deep.equal([]);
    expect(renderMarkdownNow('write to alice@example.org', LINKS)).to.equal('<p>write to <a href="mailto:alice@example.org" rel="nofollow noopener ugc">alice@example.org</a></p>\n');
  });

  it('finds nothing in link text, image descriptions, URLs or after a backslash', () => {
    const source = '[@alice](https://x.example) ![@alice](https://x.example/a.png) https://m.example/@alice \\@alice';
    expect(findMentionsNow(source)).to.deep.equal([]);
    expect(renderMarkdownNow(source, LINKS)).to.not.contain('mention');
  });

  it('ends a mention at punctuation, and not inside words', () => {
    expect(renderMarkdownNow('(@alice), @alice. @alice: @alice! @alice?', LINKS)).to.equal(
      `<p>(${ALICE()}), ${ALICE()}. ${ALICE()}: ${ALICE()}! ${ALICE()}?</p>\n`,
    );
    expect(renderMarkdownNow('@bob@example.org.', LINKS)).to.equal(`<p>${link(LINKS['bob@example.org'], '@bob@example.org')}.</p>\n`);
    expect(findMentionsNow('x@alice _@alice @alice_x @alice-')).to.deep.equal(['alice_x', 'alice']);
    expect(findMentionsNow('@@alice')).to.deep.equal([]);
  });

  it('handles unicode around and in mentions: quotes, apostrophes, letters, hosts', () => {
    expect(renderMarkdownNow('„@alice“ @alice’s «@alice»', LINKS)).to.equal(`<p>„${ALICE()}“ ${ALICE()}’s «${ALICE()}»</p>\n`);
    // A letter right before or after the handle makes it a word, not a mention.
    expect(findMentionsNow('é@alice @aliceé')).to.deep.equal([]);
    expect(findMentionsNow('@bob@例え.jp')).to.deep.equal(['bob@例え.jp']);
  });

  it('matches case-insensitively, keeping what was written', () => {
    expect(findMentionsNow('@Alice @ALICE @bob@Example.ORG')).to.deep.equal(['alice', 'bob@example.org']);
    expect(renderMarkdownNow('@Alice', LINKS)).to.equal(`<p>${ALICE('@Alice')}</p>\n`);
  });

  it('works inside emphasis, lists and quotes', () => {
    expect(renderMarkdownNow('**@alice**\n\n- @alice\n\n> @alice', LINKS)).to.equal(
      `<p><strong>${ALICE()}</strong></p>\n<ul>\n<li>${ALICE()}</li>\n</ul>\n<blockquote>\n<p>${ALICE()}</p>\n</blockquote>\n`,
    );
  });

  it('finds at most MAX_MENTIONS_FOUND different mentions, and stays fast on hostile input', () => {
    const many = Array.from({ length: 200 }, (_, i) => `@p${i}@h${i}.example`).join(' ');
    expect(findMentionsNow(many)).to.have.length(MAX_MENTIONS_FOUND);
    const hostile = `@${'a.'.repeat(5000)}@${'b-'.repeat(5000)}.${'c'.repeat(5000)}`;
    // Every repetition in the pattern is bounded: these finish (a backtracking pattern would not, within the test's time).
    expect(findMentionsNow(hostile)).to.have.length.below(2);
    expect(renderMarkdownNow(`${'@a@b.c'.repeat(3000)} ${'@'.repeat(10_000)}`, LINKS)).to.contain('@@@');
  });

  it('escapes what stays text', () => {
    expect(renderMarkdownNow('@carol@nowhere.example<script>', LINKS)).to.equal('<p>@carol@nowhere.example&lt;script&gt;</p>\n');
  });
});
