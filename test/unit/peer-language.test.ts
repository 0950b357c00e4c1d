import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/paths.js';

/**
 * Hearth's interface copy stays in peer language: no term from
 * docs/clinical-terms.txt (the project's own copy of the movement's list)
 * may appear in templates, static files, or the strings in Hearth's code.
 * Members' own posts are never checked.
 */
interface Term {
  term: string;
  insteadSay: string;
  pattern: RegExp;
}

function loadTerms(): Term[] {
  const text = readFileSync(path.join(packageRoot, 'docs', 'clinical-terms.txt'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [term, insteadSay = ''] = line.split('\t');
      const escaped = term!.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
      return { term: term!.trim(), insteadSay, pattern: new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'i') };
    });
}

function filesUnder(dir: string, extensions: string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, extensions));
    else if (extensions.some((e) => entry.endsWith(e))) out.push(full);
  }
  return out;
}

/** The quoted strings in a TypeScript file: what can reach people as copy. */
export function stringLiterals(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [...withoutComments.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
}

function findHits(terms: Term[], file: string, texts: string[]): string[] {
  const hits: string[] = [];
  for (const text of texts) {
    for (const t of terms) {
      if (t.pattern.test(text)) hits.push(`${path.relative(packageRoot, file)}: "${t.term}" (say instead: ${t.insteadSay})`);
    }
  }
  return hits;
}

describe('peer language in the interface', () => {
  const terms = loadTerms();

  it('has the list of terms to avoid', () => {
    expect(terms.length).to.be.greaterThan(30);
    expect(terms.map((t) => t.term)).to.include.members(['patient', 'treatment', 'mental illness', 'risk assessment']);
  });

  it('finds a term the way the check reads copy (so the check can fail)', () => {
    expect(findHits(terms, 'x.hbs', ['<p>Your Treatment plan</p>'])).to.have.length(1);
    expect(findHits(terms, 'x.ts', stringLiterals("const a = 'every patient'; // a patient in a comment"))).to.have.length(1);
    expect(findHits(terms, 'x.hbs', ['<p>Mental   illness</p>'])).to.have.length(1);
    expect(findHits(terms, 'x.hbs', ['<p>outpatients, patiently</p>'])).to.have.length(0);
  });

  it('templates and static files use none of them', () => {
    const files = [...filesUnder(path.join(packageRoot, 'views'), ['.hbs']), ...filesUnder(path.join(packageRoot, 'static'), ['.js', '.css', '.html', '.txt', '.svg'])];
    expect(files.length).to.be.greaterThan(10);
    const hits = files.flatMap((f) => findHits(terms, f, [readFileSync(f, 'utf8')]));
    expect(hits, hits.join('\n')).to.deep.equal([]);
  });

  it('messages in Hearth’s code use none of them', () => {
    const files = [
      ...filesUnder(path.join(packageRoot, 'src'), ['.ts']),
      ...filesUnder(path.join(packageRoot, 'moderation'), ['.ts']),
    ];
    const hits = files.flatMap((f) => findHits(terms, f, stringLiterals(readFileSync(f, 'utf8'))));
    expect(hits, hits.join('\n')).to.deep.equal([]);
  });
});
