/**
 * Notifications figures (issue 10), for npm run bench and npm run bench:notifications:
 * - a member's reply in a thread watched by 500 members on "every post"
 *   against one watched by nobody (target: within 1.5×);
 * - a member's home page with the navigation's unread count against the same
 *   page without it (target: within 10%).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

export async function notificationsBenchmark(seconds: number): Promise<string[]> {
  const child = fork(fileURLToPath(new URL('./notifications-server.js', import.meta.url)), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as { origin: string; database: string; memberCookie: string };
  const ask = async <T>(message: string): Promise<T> => {
    child.send(message);
    const [answer] = (await once(child, 'message')) as [T];
    return answer;
  };

  // Home page, alternating without and with the count (two rounds each), 10 connections.
  const home = { url: `${info.origin}/`, headers: { cookie: info.memberCookie }, connections: 10 };
  await autocannon({ ...home, duration: 1 });
  const rps: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const errors: Record<'off' | 'on', number> = { off: 0, on: 0 };
  for (let round = 0; round < 2; round++) {
    for (const mode of ['off', 'on'] as const) {
      await ask(`count:${mode}`);
      const r = await autocannon({ ...home, duration: seconds });
      rps[mode].push(r.requests.average);
      errors[mode] += r.errors + r.non2xx;
    }
  }
  await ask('count:on');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  const { replies } = await ask<{ replies: { none: Stats; watched: Stats; n: number; written: number; totalMs: number } }>('replies');
  child.send('stop');
  await once(child, 'exit');

  const ms = (s: Stats) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, mean ${s.mean.toFixed(1)} ms`;
  const off = mean(rps.off);
  const on = mean(rps.on);
  return [
    `Notifications (issue 10) on ${info.database}:`,
    `member reply (ThreadService.reply as the POST awaits it), ${replies.n} each, alternating:`,
    `  thread watched by nobody:                 ${ms(replies.none)}`,
    `  thread watched by 500 on "every post":    ${ms(replies.watched)}`,
    `  ratio 500 watchers / none (p50): ${(replies.watched.p50 / replies.none.p50).toFixed(2)}×, (mean): ${(replies.watched.mean / replies.none.mean).toFixed(2)}×   target ≤ 1.5×`,
    `  the notifications job meanwhile (outbox worker, same process): ${replies.written} rows written, ${(replies.totalMs / 1000).toFixed(1)} s for all ${replies.n * 2} replies and their jobs`,
    `member home page GET / (logged in, 300 notifications, 60 unread), 10 connections, ${seconds}s × 2 rounds each:`,
    `  without the unread count: ${off.toFixed(0)} req/s${errors.off ? ` (${errors.off} errors)` : ''}`,
    `  with the unread count:    ${on.toFixed(0)} req/s${errors.on ? ` (${errors.on} errors)` : ''}`,
    `  with / without: ${(on / off).toFixed(3)}×   target ≥ 0.90×`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  notificationsBenchmark(Number(process.env.BENCH_SECONDS ?? 5))
    .then((lines) => {
      for (const l of lines) console.log(l);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
