/**
 * npm run bench: how long the worst shapes of untrusted input hold up the
 * event loop (every other request waits that long), and how long each takes
 * in all. Sanitising and markdown run in the render workers; the event loop
 * should stay free (block ≈ the timer resolution) whatever the input.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { htmlToPlainText } from '../src/content/plain-text.js';
import { closeRenderPool, renderMarkdown, sanitizeHtml } from '../src/content/render-pool.js';
import { MAX_HTML_DEPTH } from '../src/content/html-shape.js';
import { upcomingOccurrences } from '../src/domain/meetings/recurrence.js';

interface Case {
  name: string;
  run: () => unknown;
}

const row = '| a | b | c | d |\n';
const CASES: Case[] = [
  { name: 'plain text of 200,000 "<" (a Flag)', run: () => htmlToPlainText('<'.repeat(200_000)) },
  { name: 'sanitise 10,000 nested <div> (a Note)', run: () => sanitizeHtml(`${'<div>'.repeat(10_000)}deep`) },
  {
    name: `sanitise ${MAX_HTML_DEPTH}-deep nesting × 500`,
    run: () => sanitizeHtml(`${'<blockquote>'.repeat(MAX_HTML_DEPTH)}x${'</blockquote>'.repeat(MAX_HTML_DEPTH)}`.repeat(500)),
  },
  { name: 'markdown table of 20,000 characters', run: () => renderMarkdown(`${row}|---|---|---|---|\n${row.repeat(1100)}`) },
  { name: 'markdown of 20,000 ">" (nesting)', run: () => renderMarkdown('>'.repeat(20_000)) },
  // Not untrusted, but on the event loop for every meetings page: a weekly meeting asked about in 2090 (target: well under 200 ms).
  {
    name: 'next meetings of a weekly meeting, in 2090',
    run: () =>
      upcomingOccurrences(
        { startDate: '2027-03-16', startTime: '19:00', timeZone: 'Europe/Berlin', durationMinutes: 90, recurrence: 'weekly', repeatUntil: null },
        new Date('2090-01-01T00:00:00Z'),
      ),
  },
];

export async function untrustedInputBenchmark(): Promise<string[]> {
  // Start the workers first, so that their start-up is not counted.
  await sanitizeHtml('<p>warm</p>');
  await renderMarkdown('warm');
  const lines = ['Untrusted input: longest event-loop block / total time'];
  for (const c of CASES) {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const started = performance.now();
    await c.run();
    const total = performance.now() - started;
    // Let the monitor take its last sample.
    await new Promise((r) => setImmediate(r));
    histogram.disable();
    const blockMs = histogram.max / 1e6;
    lines.push(`${c.name.padEnd(44)} block ${blockMs.toFixed(0).padStart(5)} ms   total ${total.toFixed(0).padStart(6)} ms`);
  }
  await closeRenderPool();
  return lines;
}
