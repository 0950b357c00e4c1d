import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../../src/paths.js';

/**
 * A right-to-left language is added by writing a catalogue: the stylesheet
 * says start and end (logical properties), never left and right, so a page
 * with dir="rtl" mirrors by itself.
 */
describe('the stylesheet, for right-to-left languages', () => {
  const PHYSICAL = /(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:|text-align\s*:\s*(?:left|right)\b|float\s*:\s*(?:left|right)\b|clear\s*:\s*(?:left|right)\b/;

  it('uses logical properties only', () => {
    const dir = path.join(packageRoot, 'static', 'css');
    const hits = readdirSync(dir)
      .filter((f) => f.endsWith('.css'))
      .flatMap((f) =>
        readFileSync(path.join(dir, f), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .split('\n')
          .flatMap((line, i) => (PHYSICAL.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(hits, hits.join('\n')).to.deep.equal([]);
  });

  it('would notice a physical property (so the check can fail)', () => {
    expect(PHYSICAL.test('.x { margin-left: 1rem; }')).to.equal(true);
    expect(PHYSICAL.test('.x { text-align: right; }')).to.equal(true);
    expect(PHYSICAL.test('.x { margin-inline-start: 1rem; inset-inline-end: 0; }')).to.equal(false);
  });
});
