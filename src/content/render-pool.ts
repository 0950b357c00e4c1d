import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { MentionLinks } from './mentions.js';

/**
 * Turning text into HTML, off the event loop. Sanitising parses HTML (jsdom +
 * DOMPurify) and markdown-it parses members' markdown; both take time that
 * grows with odd input, and on the event loop one such post would hold up
 * every other request. A small pool of worker threads (piscina) does it
 * instead; the web server keeps answering meanwhile.
 *
 * One pool per process, made on first use (or warmed at start with
 * `warmRenderPool`); idle workers do not keep the process alive. A job that
 * still runs after RENDER_TIME_LIMIT_MS is stopped (its worker is replaced)
 * and the text is refused. The limit counts the job, not the worker's start:
 * a first worker loading jsdom on a busy machine can take seconds, so jobs
 * wait for the pool's first worker to be ready before their clock starts.
 */
export const RENDER_TIME_LIMIT_MS = 10_000;

let pool: Piscina | undefined;
/** Settles once the first worker has loaded and run an empty job (untimed). */
let ready: Promise<void> = Promise.resolve();

function thePool(): Piscina {
  if (!pool) {
    const made = new Piscina({
      filename: new URL('./render-worker.js', import.meta.url).href,
      minThreads: 1,
      maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
      idleTimeout: 60_000,
    });
    pool = made;
    ready = made.run('', { name: 'sanitize' }).then(
      () => undefined,
      // A worker that cannot start fails every job with its own error: the jobs report it.
      (error: unknown) => void error,
    );
  }
  return pool;
}

/** Starts the pool's first worker now, so the first post does not wait for it. */
export function warmRenderPool(): Promise<void> {
  thePool();
  return ready;
}

/** The text could not be rendered in time (only odd, very large input does this). */
export class RenderTimeoutError extends Error {
  constructor() {
    super('Rendering took too long');
    this.name = 'RenderTimeoutError';
  }
}

async function run<T = string>(name: 'sanitize' | 'markdown' | 'mentions', input: unknown): Promise<T> {
  const workers = thePool();
  await ready;
  try {
    return (await workers.run(input, { name, signal: AbortSignal.timeout(RENDER_TIME_LIMIT_MS) })) as T;
  } catch (error) {
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw new RenderTimeoutError();
    throw error;
  }
}

/** Sanitised HTML of HTML from anywhere (members' rendered markdown, other servers' posts). */
export function sanitizeHtml(html: string): Promise<string> {
  return run('sanitize', String(html ?? ''));
}

/** A member's markdown as sanitised HTML; the @mentions in `mentions` become links, the others stay text. */
export function renderMarkdown(source: string, mentions?: MentionLinks): Promise<string> {
  return mentions && Object.keys(mentions).length > 0 ? run('markdown', { source, mentions }) : run('markdown', source);
}

/** The @mentions in a member's markdown (`alice`, `bob@example.org`, lower case), not in code, links or e-mail addresses. */
export function findMentions(source: string): Promise<string[]> {
  return source.includes('@') ? run<string[]>('mentions', source) : Promise.resolve([]);
}

/** Stops the workers (at shutdown). */
export async function closeRenderPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}
