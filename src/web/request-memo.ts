import type { Request } from 'express';

const memos = new WeakMap<Request, Map<string, Promise<unknown>>>();

/**
 * What one request asks more than once (the circle at /c/SLUG: its watch form
 * and its page), asked once: the first answer (or refusal) is shared by the
 * request's later askers. Forgotten with the request.
 */
export function oncePerRequest<T>(req: Request, key: string, ask: () => Promise<T>): Promise<T> {
  let memo = memos.get(req);
  if (!memo) {
    memo = new Map();
    memos.set(req, memo);
  }
  let answer = memo.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = ask();
    memo.set(key, answer);
  }
  return answer;
}
