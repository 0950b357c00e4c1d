import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * How the embedded database runs. PostgreSQL's default shared_buffers
 * (128 MB) is written to at start and, being WebAssembly memory, never given
 * back: 16 MB keeps about 120 MiB out of every Hearth process that uses
 * PGlite. The files themselves stay in the operating system's page cache, so
 * reads that miss the buffers are still served from memory.
 */
export const PGLITE_OPTIONS: PGliteOptions = {
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
};
