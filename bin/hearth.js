#!/usr/bin/env node
// The `hearth` command for people who host an instance. It runs the compiled
// TypeScript. In a checkout (npx hearth, node bin/hearth.js) it first builds
// when a source is newer than dist/ (quickly skipped when nothing changed); an
// installed package or the Docker image runs dist/ as it is.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIfStale, isCheckout } from './build-if-stale.js';

if (isCheckout()) {
  const code = buildIfStale();
  if (code !== 0) process.exit(code);
}
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('Hearth is not built yet. Run "npm run build" in the Hearth folder first.');
  process.exit(1);
}
await import(entry.href);
