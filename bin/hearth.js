#!/usr/bin/env node
// The `hearth` command for people who host an instance. It runs the compiled
// TypeScript; `npm install` builds it (the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('Hearth is not built yet. Run "npm run build" in the Hearth folder first.');
  process.exit(1);
}
await import(entry.href);
