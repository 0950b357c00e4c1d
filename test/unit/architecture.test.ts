import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cruise, type IViolation } from 'dependency-cruiser';
import { packageRoot } from '../../src/paths.js';
import { IMPORT_RULES } from '../architecture/import-rules.js';
import { sqlOutsideStorage, sqlStatementsIn } from '../architecture/sql-placement.js';

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

describe('SQL lives only in storage folders', function () {
  // Every source file is parsed: a few seconds on a busy machine.
  this.timeout(60_000);

  it('holds across src/, moderation/ and bin/: every statement elsewhere is named by file and line', () => {
    expect(sqlOutsideStorage(packageRoot)).to.deep.equal([]);
  });

  it('catches planted statements, in any case, in strings and templates, on the line of their first keyword', () => {
    const source = [
      "import type { Queryable } from '../../storage/database.js';",
      'export async function planted(q: Queryable, id: number): Promise<void> {',
      "  await q.query('SELECT handle FROM members WHERE id = $1', [id]);",
      '  await q.query(',
      '    `UPDATE members',
      '        SET display_name = $2 WHERE id = $1`,',
      '    [id, "x"],',
      '  );',
      '  await q.query(`SELECT ${COLUMNS} FROM circles WHERE id = $1`, [id]);',
      "  await q.query('select id from circles where slug = $1', ['voices']);",
      "  await q.query('SELECT 1');",
      "  await q.query(\"INSERT INTO circle_members (circle_id, member_id) VALUES ($1, $2)\", [1, id]);",
      "  await q.query('delete from handles where name = $1', ['x']);",
      "  await q.query('WITH gone AS (DELETE FROM sessions RETURNING 1) SELECT count(*) FROM gone');",
      "  await q.query('CREATE TABLE notes (id serial PRIMARY KEY)');",
      '}',
      "const COLUMNS = 'id, slug';",
    ].join('\n');
    expect(sqlStatementsIn(source).map((s) => s.line)).to.deep.equal([3, 5, 9, 10, 11, 12, 13, 14, 15]);
    expect(sqlStatementsIn(source)[0]!.text).to.equal('SELECT handle FROM members WHERE id = $1');
    expect(sqlStatementsIn("db.query('BEGIN'); db.query(`LISTEN ${channel}`);\n", 'bin/tool.js')).to.have.length(2);
  });

  it('names a planted statement outside the storage folders, and none inside them', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-sql-'));
    try {
      const file = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      };
      const statement = "export const ask = (q) => q.query('SELECT handle FROM members WHERE id = $1', [1]);\n";
      file('src/domain/circles/service.ts', `// A service.\n${statement}`);
      file('moderation/services/service.ts', statement);
      file('bin/tool.js', statement);
      file('src/storage/repositories/repo.ts', statement);
      file('moderation/storage/store.ts', statement);
      file('src/federation/apex-store/store.ts', statement);
      expect(sqlOutsideStorage(dir).sort()).to.deep.equal([
        'bin/tool.js:1: SELECT handle FROM members WHERE id = $1',
        'moderation/services/service.ts:1: SELECT handle FROM members WHERE id = $1',
        'src/domain/circles/service.ts:2: SELECT handle FROM members WHERE id = $1',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not fooled by English in messages, ICU selects or comments', () => {
    const source = [
      '// SELECT id FROM members WHERE id = $1: the repository does this.',
      '/** Deletes it: DELETE FROM posts WHERE id = $1. */',
      'export const en = {',
      "  'circles.choose': 'Select a circle from the list.',",
      "  'circles.where': 'Select the circle from the list where you want to post, or one to join.',",
      "  'posts.delete': 'Delete from your list?',",
      "  'settings.update': 'Update your settings, then set your time zone.',",
      "  'posts.insert': 'Insert into your post a picture (or two).',",
      "  'circles.with': 'With a circle as (your) home, you are never alone.',",
      "  'proposals.title': '{scope, select, instance {Remove agreement {number} from the instance} other {Remove it from {circle}}}',",
      "  'reactions.count': '{count, plural, =0 {Nobody yet} one {# person} other {# people}} from {circle}',",
      "  'proposals.create': 'Create a table of agreements, then select one from it.',",
      "  'check_ins.begin': 'Begin',",
      "  'markdown': 'Select **one** circle from the list.',",
      '};',
      "export const step: 'commit' | 'rollback' = 'commit';",
    ].join('\n');
    expect(sqlStatementsIn(source)).to.deep.equal([]);
  });
});
