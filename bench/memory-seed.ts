/**
 * Seeds a database for `bench/memory.ts` (run as its own process, so that the
 * server measured afterwards never did the seeding): the configuration comes
 * from the environment as for `npm start` (DATABASE_URL, else DATA_DIR).
 * Prints the long thread's path as one JSON line.
 */
import { createHearth } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { argon2Hasher } from '../src/domain/members/passwords.js';
import { closeRenderPool } from '../src/content/render-pool.js';
import { seedBenchContent } from './seed.js';

const hearth = await createHearth({ config: loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), passwordHasher: argon2Hasher('light') });
const threadPath = await seedBenchContent(hearth);
await hearth.close();
await closeRenderPool();
process.stdout.write(`${JSON.stringify({ threadPath })}\n`);
process.exit(0);
