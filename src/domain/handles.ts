import { msg, type MessageRef } from '../i18n/message.js';
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

/** Returns the problem (a message: a handle's, or a circle's address), or undefined when the handle is usable. */
export function handleProblem(handle: string, what: 'handle' | 'address'): MessageRef | undefined {
  const { min, max } = LIMITS.handle;
  if (handle.length < min || handle.length > max) return msg('accounts.error.handle_length', { what, min, max });
  if (!HANDLE_PATTERN.test(handle)) return msg('accounts.error.handle_letters', { what });
  if (RESERVED.has(handle)) return msg('accounts.error.handle_reserved', { handle });
  return undefined;
}
