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
 * One pool per process, made on first use; idle workers do not keep the
 * process alive. A worker stops after RENDER_WORKER_IDLE_MS without work and
 * the next text starts a new one: a worker holds jsdom (about 90 MiB), which a
 * server that is only being read has no use for. A job that still runs after
 * RENDER_TIME_LIMIT_MS is stopped (its worker is replaced) and the text is
 * refused. The limit counts the job, not the worker's start: a worker loading
 * jsdom on a busy machine can take seconds, so jobs wait for a starting
 * worker to be ready before their clock starts.
 */
export const RENDER_TIME_LIMIT_MS = 10_000;
/** A render worker without work for this long stops, giving its memory back. */
export const RENDER_WORKER_IDLE_MS = 60_000;

let pool: Piscina | undefined;
/** While a worker is starting: settles once it has loaded and run an empty job (untimed). */
let starting: Promise<void> | undefined;

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./render-worker.js', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    idleTimeout: RENDER_WORKER_IDLE_MS,
  });
  return pool;
}

/** Settles when the pool has a worker ready, starting one (untimed) when it has none. */
function workerReady(workers: Piscina): Promise<void> {
  if (starting) return starting;
  if (workers.threads.length > 0) return Promise.resolve();
  const started = workers.run('', { name: 'sanitize' }).then(
    () => undefined,
    // A worker that cannot start fails every job with its own error: the jobs report it.
    (error: unknown) => void error,
  );
  starting = started.finally(() => {
    starting = undefined;
  });
  return starting;
}

/** Starts a render worker now, if none is running (it stops again after RENDER_WORKER_IDLE_MS). */
export function warmRenderPool(): Promise<void> {
  return workerReady(thePool());
}

/** How many render workers are running (each holds jsdom). */
export function renderWorkerCount(): number {
  return pool?.threads.length ?? 0;
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
  await workerReady(workers);
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
