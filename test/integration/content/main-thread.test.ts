import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/paths.js';

const dist = (file: string) => pathToFileURL(path.join(packageRoot, 'dist', 'src', file)).href;

/**
 * In a process of its own (this one has loaded jsdom for other tests): loads
 * everything the server loads, renders a post, then says which packages the
 * main thread has loaded (CommonJS packages are in require's cache, also
 * when imported).
 */
const SCRIPT = `
  import { createRequire } from 'node:module';
  await import(${JSON.stringify(dist('app.js'))});
  const pool = await import(${JSON.stringify(dist('content/render-pool.js'))});
  const html = await pool.renderMarkdown('**Hello** <img src=x onerror=alert(1)>');
  const loaded = (name) => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/' + name + '/'));
  console.log(JSON.stringify({ html, workers: pool.renderWorkerCount(), express: loaded('express'), jsdom: loaded('jsdom'), mongodb: loaded('mongodb') }));
  await pool.closeRenderPool();
`;

describe("the server's main thread", function () {
  this.timeout(120_000);

  it('renders posts in a render worker and never loads jsdom or the MongoDB driver itself', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    await once(child, 'exit');
    const seen = JSON.parse(line) as { html: string; workers: number; express: boolean; jsdom: boolean; mongodb: boolean };
    expect(seen.html).to.contain('<strong>Hello</strong>');
    expect(seen.html).not.to.contain('<img');
    expect(seen.workers).to.equal(1);
    // The check sees CommonJS packages: Express is one, and the server loads it.
    expect(seen.express).to.equal(true);
    expect(seen.jsdom).to.equal(false);
    expect(seen.mongodb).to.equal(false);
  });
});
