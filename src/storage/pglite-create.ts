/**
 * Creates the embedded database's files in a folder (PostgreSQL's initdb),
 * then exits. Run as its own short-lived process by `pglite-database.ts`
 * (`node pglite-create.js FOLDER`): initdb leaves several hundred MiB of
 * WebAssembly memory behind that a process never gives back, so the server
 * never runs it itself and opens the finished folder instead, as after a
 * restart.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_OPTIONS } from './pglite-settings.js';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: node pglite-create.js FOLDER');
  process.exit(2);
}
const db = new PGlite(dataDir, PGLITE_OPTIONS);
await db.waitReady;
await db.close();
process.exit(0);
