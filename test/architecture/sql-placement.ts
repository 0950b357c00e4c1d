/**
 * "SQL lives only in storage folders" (docs/ARCHITECTURE.md), checked in the
 * test command: every string and template literal of the sources is read with
 * TypeScript's own parser (so comments are never looked at), and a literal
 * shaped like a SQL statement outside the storage folders is named by file and line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Where SQL may be written: Hearth's repositories, moderation's store, federation's store for apex. */
export const STORAGE_FOLDERS = ['src/storage/', 'moderation/storage/', 'src/federation/apex-store/'];

/** The folders whose sources are checked. */
export const CHECKED_FOLDERS = ['src', 'moderation', 'bin'];

const NAME = String.raw`[a-z_"][\w."]*`;

/**
 * The shapes of a statement, matched without regard to case, each with what
 * makes it a statement rather than a sentence where it can (`INSERT INTO t (`,
 * `UPDATE t SET c =`, `WITH x AS (`). "Select a circle from the list" has the
 * shape of a SELECT all the same, so a shape counts only when its first
 * keyword is written in capitals (Hearth's SQL style) or the literal also has
 * one of the `SQL_SIGNALS`. The one-word statements (`BEGIN`, `LISTEN x`,
 * `CLOSE c`) are counted only in capitals that way: 'commit' may well be a value.
 */
const SHAPES: RegExp[] = [
  new RegExp(String.raw`\bselect\s+[\s\S]*?\bfrom(\s+${NAME}|\s*\(|\s*$)`, 'gi'),
  /^\s*\(?\s*select\b/gi,
  new RegExp(String.raw`\binsert\s+into\s+${NAME}(\s+as\s+[a-z_]\w*)?\s*(\(|values\b|select\b|default\b)`, 'gi'),
  new RegExp(String.raw`\bupdate\s+${NAME}(\s+(as\s+)?[a-z_]\w*)?\s+set\s+${NAME}\s*=`, 'gi'),
  new RegExp(String.raw`\bdelete\s+from(\s+${NAME}|\s*$)`, 'gi'),
  new RegExp(String.raw`\bwith\s+(recursive\s+)?[a-z_]\w*(\s*\([^)]*\))?\s+as\s+(not\s+)?(materialized\s+)?\(`, 'gi'),
  /\b(create|alter|drop)\s+(table|(unique\s+)?index|(materialized\s+)?view|function|trigger|type|extension|schema|sequence)\b/gi,
  /\btruncate\s+(table\s+)?[a-z_]/gi,
  // Statements that are a word or two, written as the whole literal.
  /^\s*(begin|commit|rollback)(\s+(work|transaction))?\s*;?\s*$/gi,
  /^\s*(listen|unlisten|notify)\s+[\w"]+\s*(,[\s\S]*)?;?\s*$/gi,
  /^\s*set\s+(local\s+|session\s+)?[a-z_.]+\s*(=|to\b)/gi,
  /^\s*(vacuum|analyze|lock\s+table)\b/gi,
  /^\s*declare\s+\w+\s+(binary\s+)?(no\s+)?(scroll\s+)?cursor\b/gi,
  /^\s*fetch\s+(\w+\s+)?(from|in)\s+\w+\s*;?\s*$/gi,
  /^\s*close\s+\w+\s*;?\s*$/gi,
];

/**
 * What prose doesn't have and SQL written in lower case nearly always does: a
 * placeholder, a cast, a comparison between names, a star, a WHERE with its
 * condition, VALUES with its list, a SQL function's call. Words alone
 * ("where", "join", "order") don't count: messages use them.
 */
const SQL_SIGNALS: RegExp[] = [
  /\$\d/,
  /::\s*[a-z]/i,
  /[\w)]\s*(=|<>|<=|>=|!=)\s*[\w$'(]/,
  /\bselect\s+(distinct\s+)?([\w"]+\.)?\*\s*(,|from\b)|\(\s*\*\s*\)/i,
  /\bwhere\s+(not\s+)?[\w."]+\s*(=|<|>|!|@@|~|\bin\s*\(|\bis\s+(not\s+)?null\b|\b(i?like|between)\b)/i,
  /\bvalues\s*\(/i,
  /\bon\s+conflict\b/i,
  /\border\s+by\s+[\w."]+(\s+(asc|desc)\b|\s*,|\s+limit\b|\s*$)/i,
  /\blimit\s+(\d+|\$\d+)\s*;?\s*$/i,
  // A function of SQL's, called without a space before its parenthesis (as prose never writes it).
  /\b(count|min|max|sum|avg|coalesce|greatest|least|now|lower|upper|exists|any|array_agg|json_agg|jsonb_agg|jsonb_build_object|make_interval|pg_\w+|to_tsvector|websearch_to_tsquery|current_database)\(/i,
  // Data definition nobody writes in a sentence.
  /\b(create|alter|drop)\s+(table|schema|(unique\s+)?index|extension|sequence|trigger)\s+(if\s+(not\s+)?exists\s+)?[a-z_"]/i,
];

export interface SqlFound {
  /** 1-based line of the statement's first keyword. */
  line: number;
  /** The statement's first words, for the message. */
  text: string;
}

/**
 * The literal's characters at their own offsets in `source`: a template's
 * `${…}` parts become a word and spaces (keeping offsets), an escape such as `\n` spaces too.
 */
function literalTexts(file: ts.SourceFile): Array<{ start: number; text: string }> {
  const out: Array<{ start: number; text: string }> = [];
  const source = file.getFullText();
  const plain = (start: number, end: number) => source.slice(start, end).replace(/\\[nrt]/g, '  ');
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const start = node.getStart(file);
      out.push({ start: start + 1, text: plain(start + 1, node.getEnd() - 1) });
    } else if (ts.isTemplateExpression(node)) {
      const start = node.getStart(file);
      const chars = [...' '.repeat(node.getEnd() - start)];
      // Each `${…}` becomes an `x` (it stands for a word: `SELECT ${COLUMNS} FROM` keeps its shape) and spaces.
      const keep = (part: ts.TemplateLiteralLikeNode, last: boolean) => {
        const from = part.getStart(file) + 1;
        const to = part.getEnd() - (last ? 1 : 2);
        const text = plain(from, to);
        for (let i = 0; i < text.length; i += 1) chars[from - start + i] = text[i]!;
        if (!last) chars[to - start] = 'x';
      };
      keep(node.head, false);
      node.templateSpans.forEach((span, i) => keep(span.literal, i === node.templateSpans.length - 1));
      out.push({ start, text: chars.join('') });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The SQL statements in one source text (`fileName` only decides TypeScript or JavaScript). */
export function sqlStatementsIn(sourceText: string, fileName = 'source.ts'): SqlFound[] {
  const kind = /\.(m?js)$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, false, kind);
  const found: SqlFound[] = [];
  for (const literal of literalTexts(file)) {
    const signal = SQL_SIGNALS.some((r) => r.test(literal.text));
    const hits = new Set<number>();
    for (const shape of SHAPES) {
      shape.lastIndex = 0;
      for (let m = shape.exec(literal.text); m !== null; m = shape.exec(literal.text)) {
        const at = m.index + m[0].search(/[a-z]/i);
        const keyword = /^[a-z]+/i.exec(literal.text.slice(at))![0];
        if (signal || keyword === keyword.toUpperCase()) hits.add(at);
        if (m[0].length === 0) shape.lastIndex += 1;
      }
    }
    if (hits.size === 0) continue;
    const first = Math.min(...hits);
    found.push({
      line: file.getLineAndCharacterOfPosition(literal.start + first).line + 1,
      text: literal.text.slice(first).replace(/\s+/g, ' ').trim().slice(0, 60),
    });
  }
  return found;
}

/** Every TypeScript and JavaScript source under `dir` (not declarations, not node_modules). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `file:line: statement` for each SQL statement under `root`'s checked folders but outside the storage folders. */
export function sqlOutsideStorage(root: string, folders: string[] = CHECKED_FOLDERS): string[] {
  const out: string[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(path.join(root, folder))) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      if (STORAGE_FOLDERS.some((f) => rel.startsWith(f))) continue;
      for (const s of sqlStatementsIn(readFileSync(file, 'utf8'), file)) out.push(`${rel}:${s.line}: ${s.text}`);
    }
  }
  return out;
}
