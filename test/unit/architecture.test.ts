import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cruise, type IViolation } from 'dependency-cruiser';
import { packageRoot } from '../../src/paths.js';
import { IMPORT_RULES } from '../architecture/import-rules.js';

/** Runs dependency-cruiser over `folders` of `baseDir` with Hearth's import rules. */
async function violations(baseDir: string, folders: string[]): Promise<IViolation[]> {
  const previous = process.cwd();
  process.chdir(baseDir);
  try {
    const result = await cruise(folders, {
      ruleSet: { forbidden: IMPORT_RULES },
      validate: true,
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '^dist/' },
    });
    if (typeof result.output === 'string') throw new Error('dependency-cruiser gave text, not results');
    return result.output.summary.violations;
  } finally {
    process.chdir(previous);
  }
}

describe('import rules between the layers', function () {
  this.timeout(60_000);

  it('hold across src/ and moderation/', async () => {
    const found = await violations(packageRoot, ['src', 'moderation']);
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).to.deep.equal([]);
  });

  it('catch a planted violation of each rule', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-rules-'));
    try {
      const file = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      };
      file('src/web/page.ts', "import { x } from '../storage/repo.js';\nexport const page = x;\n");
      file('src/storage/repo.ts', "import { y } from '../federation/fed.js';\nexport const x = y;\n");
      file('src/federation/fed.ts', "import { z } from '../web/helper.js';\nexport const y = z;\n");
      file('src/web/helper.ts', "export const z = 1;\n");
      file('src/domain/service.ts', "import { page } from '../web/page.js';\nimport { inner } from '../../moderation/services/inner.js';\nexport const s = [page, inner];\n");
      file('moderation/services/inner.ts', "import { y } from '../../src/federation/fed.js';\nexport const inner = y;\n");
      file('moderation/index.ts', "export { inner } from './services/inner.js';\n");
      file('src/i18n/words.ts', "import { s } from '../domain/service.js';\nexport const words = s;\n");
      const names = new Set((await violations(dir, ['src', 'moderation'])).map((v) => v.rule.name));
      expect([...names].sort()).to.deep.equal(IMPORT_RULES.map((r) => r.name).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every TypeScript and JavaScript source file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'artifacts' ? [] : sources(full);
    return /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('error handling', () => {
  it('has no bare catch anywhere: every catch names what it means, and passes on or logs the rest', () => {
    const bare: string[] = [];
    for (const folder of ['src', 'moderation', 'bin', 'bench', 'test']) {
      for (const file of sources(path.join(packageRoot, folder))) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/catch\s*\{|catch\s*\(\s*\w*\s*\)\s*\{\s*\}/.test(line)) bare.push(`${path.relative(packageRoot, file)}:${i + 1}`);
          });
      }
    }
    expect(bare).to.deep.equal([]);
  });
});
