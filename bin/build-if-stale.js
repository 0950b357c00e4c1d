#!/usr/bin/env node
// Builds Hearth (TypeScript to dist/) only when a source is newer than the last
// build, so that `npm start`, `npm install` ("prepare") and `npx hearth` in a
// checkout do not pay for a full `tsc` on every start. The build itself is
// incremental (tsconfig.json: dist/.tsbuildinfo). Folders are compared too, so
// a deleted or renamed file also counts as a change.
//
// Used as a script (`node bin/build-if-stale.js`) and by bin/hearth.js.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** What tsconfig.json compiles, and the settings themselves. */
const INPUTS = ['src', 'moderation', 'test', 'bench', 'types', 'tsconfig.json'];
const STAMP = path.join(root, 'dist', '.build-stamp');

/** Newest modification time under `p` (files and folders; skips what tsc does not read). */
function newest(p) {
  let st;
  try {
    st = statSync(p);
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
  let time = st.mtimeMs;
  if (st.isDirectory()) {
    for (const entry of readdirSync(p)) {
      if (entry === 'artifacts' || entry === 'node_modules') continue;
      time = Math.max(time, newest(path.join(p, entry)));
    }
  }
  return time;
}

/** True when dist/ is missing or older than a source. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => newest(path.join(root, input)) > built);
}

/** A checkout has tsconfig.json; an installed package or the Docker image does not. */
export function isCheckout() {
  return existsSync(path.join(root, 'tsconfig.json'));
}

/** Runs tsc when needed; returns its exit code (0 when nothing had to be done). */
export function buildIfStale({ quiet = false, always = false } = {}) {
  if (!isCheckout() || (!always && !isStale())) return 0;
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch (error) {
    console.error(`Hearth needs building, but TypeScript is not installed here (${error.code}). Run "npm install" first.`);
    return 1;
  }
  if (!quiet && !always) console.error('Building Hearth (sources changed since the last build)…');
  // The stamp's time is taken before compiling: a file saved during the build counts as newer.
  const started = new Date();
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = buildIfStale({ always: process.argv.includes('--always') });
}
