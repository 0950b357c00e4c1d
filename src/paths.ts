import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Hearth's package.json, whether running from src/ or dist/. */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'hearth') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Could not find the Hearth package folder');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
export const viewsDir = path.join(packageRoot, 'views');
export const staticDir = path.join(packageRoot, 'static');
export const migrationsDir = path.join(packageRoot, 'src', 'storage', 'migrations');
