import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

/**
 * Turning text into HTML, off the event loop. Sanitising parses HTML (jsdom +
 * DOMPurify) and markdown-it parses members' markdown; both take time that
 * grows with odd input, and on the event loop one such post would hold up
 * every other request. A small pool of worker threads (piscina) does it
 * instead; the web server keeps answering meanwhile.
 *
 * One pool per process, made on first use; idle workers do not keep the
 * process alive. A job that still runs after RENDER_TIME_LIMIT_MS is stopped
 * (its worker is replaced) and the text is refused.
 */
export const RENDER_TIME_LIMIT_MS = 10_000;

let pool: Piscina | undefined;

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./render-worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    idleTimeout: 60_000,
  });
  return pool;
}

/** The text could not be rendered in time (only odd, very large input does this). */
export class RenderTimeoutError extends Error {
  constructor() {
    super('Rendering took too long');
    this.name = 'RenderTimeoutError';
  }
}

async function run(name: 'sanitize' | 'markdown', input: string): Promise<string> {
  try {
    return (await thePool().run(input, { name, signal: AbortSignal.timeout(RENDER_TIME_LIMIT_MS) })) as string;
  } catch (error) {
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw new RenderTimeoutError();
    throw error;
  }
}

/** Sanitised HTML of HTML from anywhere (members' rendered markdown, other servers' posts). */
export function sanitizeHtml(html: string): Promise<string> {
  return run('sanitize', String(html ?? ''));
}

/** A member's markdown as sanitised HTML. */
export function renderMarkdown(source: string): Promise<string> {
  return run('markdown', source);
}

/** Stops the workers (at shutdown). */
export async function closeRenderPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}
