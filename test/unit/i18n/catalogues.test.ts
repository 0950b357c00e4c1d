import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { packageRoot } from '../../../src/paths.js';
import { LOCALES, type Locale } from '../../../src/i18n/locales.js';
import { MESSAGES } from '../../../src/i18n/messages/index.js';
import { MissingMessageError, translate } from '../../../src/i18n/translate.js';

/**
 * Every language Hearth speaks is complete and well-formed: the same keys as
 * English, messages that parse as ICU MessageFormat with the same placeholders
 * and tags, every key a template names present, and each catalogue in peer
 * language by its own list (docs/clinical-terms[.LANG].txt).
 */
const ALLOWED_TAGS = new Set(['strong', 'em', 'code', 'link', 'link2', 'handletag']);

function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(`{${e.value}}`);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(`{${e.value}}`);
      for (const option of Object.values(e.options)) placeholders(option.value, out);
    }
    if (e.type === TYPE.tag) {
      out.add(`<${e.value}>`);
      placeholders(e.children, out);
    }
  }
  return out;
}

function literalText(elements: MessageFormatElement[]): string {
  return elements
    .map((e) => {
      if (e.type === TYPE.literal) return e.value;
      if (e.type === TYPE.tag) return literalText(e.children);
      if (e.type === TYPE.plural || e.type === TYPE.select) return Object.values(e.options).map((o) => literalText(o.value)).join(' ');
      return ' ';
    })
    .join('');
}

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full, extension) : entry.endsWith(extension) ? [full] : [];
  });
}

interface Term {
  term: string;
  insteadSay: string;
  pattern: RegExp;
}

export function loadTerms(locale: Locale): Term[] {
  const file = locale === 'en' ? 'clinical-terms.txt' : `clinical-terms.${locale}.txt`;
  return readFileSync(path.join(packageRoot, 'docs', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [term, insteadSay = ''] = line.split('\t');
      const escaped = term!.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
      // Whole words in any script: letters, digits and hyphens around a term make it part of another word.
      return { term: term!.trim(), insteadSay, pattern: new RegExp(`(?<![\\p{L}\\p{N}-])${escaped}(?![\\p{L}\\p{N}-])`, 'iu') };
    });
}

export function termHits(terms: Term[], messages: Record<string, string | undefined>): string[] {
  const hits: string[] = [];
  for (const [key, text] of Object.entries(messages)) {
    for (const t of terms) if (text !== undefined && t.pattern.test(text)) hits.push(`${key}: "${t.term}" (say instead: ${t.insteadSay})`);
  }
  return hits;
}

describe('message catalogues', () => {
  const english = MESSAGES.en;
  const keys = Object.keys(english).sort();

  it('has a catalogue for every language, each with exactly English’s keys', () => {
    expect(keys.length).to.be.greaterThan(50);
    for (const locale of LOCALES) {
      const theirs = Object.keys(MESSAGES[locale]).sort();
      const missing = keys.filter((k) => !(k in MESSAGES[locale]));
      const extra = theirs.filter((k) => !(k in english));
      expect({ locale, missing, extra }).to.deep.equal({ locale, missing: [], extra: [] });
    }
  });

  it('parses every message, with the same placeholders and tags as English, and only the tags pages know', () => {
    const problems: string[] = [];
    for (const key of keys) {
      const reference = placeholders(parse(english[key]!));
      for (const locale of LOCALES) {
        let ast: MessageFormatElement[];
        try {
          ast = parse(MESSAGES[locale][key]!);
        } catch (error) {
          problems.push(`${locale} ${key}: does not parse (${String(error)})`);
          continue;
        }
        const found = placeholders(ast);
        const differ = [...reference].filter((p) => !found.has(p)).concat([...found].filter((p) => !reference.has(p)));
        if (differ.length > 0) problems.push(`${locale} ${key}: placeholders differ from English: ${differ.join(' ')}`);
        for (const p of found) if (p.startsWith('<') && !ALLOWED_TAGS.has(p.slice(1, -1))) problems.push(`${locale} ${key}: unknown tag ${p}`);
        // A tag and a value of the same name would be one and the same to the formatter.
        for (const p of found) if (p.startsWith('<') && found.has(`{${p.slice(1, -1)}}`)) problems.push(`${locale} ${key}: ${p} is also a value's name`);
        if (/[<>&]/.test(literalText(ast))) problems.push(`${locale} ${key}: markup outside the known tags`);
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('knows every key the templates name', () => {
    const missing: string[] = [];
    for (const file of filesUnder(path.join(packageRoot, 'views'), '.hbs')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\(?\bt\s+"([^"]+)"/g)) {
        if (!(m[1]! in english)) missing.push(`${path.relative(packageRoot, file)}: ${m[1]}`);
      }
    }
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });

  it('refuses a key no catalogue has (so a missing key cannot pass unseen)', () => {
    expect(() => translate('de', 'common.no_such_message')).to.throw(MissingMessageError);
  });

  it('formats plurals and numbers in each language', () => {
    expect(translate('en', 'common.nav.notifications_new', { count: 1 })).to.equal('1 new');
    expect(translate('de', 'common.text.too_long', { label: 'Titel', max: 20000, length: 20001 })).to.equal('„Titel“ darf höchstens 20.000 Zeichen lang sein (jetzt sind es 20.001).');
    expect(translate('es', 'common.nav.notifications_new', { count: 3 })).to.equal('3 nuevos');
  });

  describe('peer language, per language', () => {
    for (const locale of LOCALES) {
      it(`${locale}: no term from its list of words not to use`, () => {
        const terms = loadTerms(locale);
        expect(terms.length).to.be.greaterThan(30);
        const hits = termHits(terms, MESSAGES[locale]);
        expect(hits, hits.join('\n')).to.deep.equal([]);
      });
    }

    it('finds a planted term in each language (so the check can fail)', () => {
      expect(termHits(loadTerms('en'), { x: 'Your treatment plan' })).to.have.length(1);
      expect(termHits(loadTerms('de'), { x: 'Deine Behandlung' })).to.have.length(1);
      expect(termHits(loadTerms('de'), { x: 'Für Patientinnen' })).to.have.length(1);
      expect(termHits(loadTerms('es'), { x: 'Tu tratamiento' })).to.have.length(1);
      expect(termHits(loadTerms('es'), { x: 'Los síntomas' })).to.have.length(1);
      expect(termHits(loadTerms('es'), { x: 'pacientemente' })).to.have.length(0);
    });
  });
});
