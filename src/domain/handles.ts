import { LIMITS } from './limits.js';

/**
 * Handles name members and circles alike: they share one namespace, because
 * both are found as @name@host. Lower-case letters, digits and underscores,
 * starting with a letter (what Mastodon and Lemmy accept too).
 */
export const HANDLE_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Names Hearth keeps for itself (routes and its own instance actor). */
const RESERVED = new Set([
  'admin', 'administrator', 'api', 'c', 'circle', 'circles', 'hearth', 'healthz', 'inbox', 'instance',
  'login', 'logout', 'me', 'new', 'nodeinfo', 'outbox', 'register', 'root', 'settings', 'setup',
  'shared', 'static', 'steward', 'stewards', 'system', 'u', 'well_known', 'www',
]);

export function normalizeHandle(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

/** Returns a problem in plain words, or undefined when the handle is usable. */
export function handleProblem(handle: string, what: 'handle' | 'address'): string | undefined {
  const { min, max } = LIMITS.handle;
  const a = what === 'address' ? 'An address' : 'A handle';
  if (handle.length < min || handle.length > max) {
    return `${a} is ${min} to ${max} characters long.`;
  }
  if (!HANDLE_PATTERN.test(handle)) {
    return `${a} uses lower-case letters, numbers and _ only, and starts with a letter.`;
  }
  if (RESERVED.has(handle)) return `"${handle}" is kept for Hearth itself. Please choose another.`;
  return undefined;
}
