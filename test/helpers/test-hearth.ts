import type { Logger } from 'pino';
import supertest from 'supertest';
import { createHearth, type Hearth } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { argon2Hasher } from '../../src/domain/members/passwords.js';
import { createLogger } from '../../src/logger.js';
import { DEFAULT_RATE_LIMITS, sameLimitEverywhere, type RateLimitSettings } from '../../src/web/rate-limits.js';
import { resetDatabase, testDatabase } from './database.js';

const GENEROUS = { windowMs: 60_000, limit: 10_000 };
export const NO_RATE_LIMITS: RateLimitSettings = sameLimitEverywhere(GENEROUS);

export interface TestHearthOptions {
  rateLimits?: Partial<RateLimitSettings>;
  clock?: Clock;
  env?: Record<string, string>;
  /** A logger to read what Hearth logs (default: silent). */
  logger?: Logger;
  /** Keep what the test database holds (another process of the same instance, or the same one restarted). */
  keepDatabase?: boolean;
}

/** The Hearths of this test process that are open: `eventually` waits for their federation to settle. */
const live = new Set<Hearth>();

/** A Hearth on the shared test database, emptied first (unless `keepDatabase`). */
export async function freshHearth(options: TestHearthOptions = {}): Promise<Hearth> {
  const db = await testDatabase();
  if (!options.keepDatabase) await resetDatabase(db);
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', ...options.env });
  const hearth = await createHearth({
    config,
    db,
    logger: options.logger ?? createLogger('silent'),
    passwordHasher: argon2Hasher('light'),
    rateLimits: { ...NO_RATE_LIMITS, ...options.rateLimits },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  live.add(hearth);
  const close = hearth.close.bind(hearth);
  hearth.close = async () => {
    live.delete(hearth);
    await close();
  };
  return hearth;
}

/** Waits until every open Hearth of this process has finished what federation had in hand. */
export async function settled(): Promise<void> {
  await Promise.all([...live].map((h) => h.federation.settled()));
}

export { DEFAULT_RATE_LIMITS };

const CSRF_PATTERN = /name="_csrf" value="([^"]+)"/;

/**
 * A person using Hearth through HTTP, with their own cookies: reads a page,
 * fills in its form (with the page's CSRF token) and sends it.
 */
export class Visitor {
  readonly agent: ReturnType<typeof supertest.agent>;

  constructor(readonly hearth: Hearth) {
    this.agent = supertest.agent(hearth.app);
  }

  get(path: string) {
    return this.agent.get(path).set('Accept', 'text/html');
  }

  /** The CSRF token of the form on `pagePath`. */
  async token(pagePath: string): Promise<string> {
    const page = await this.get(pagePath);
    const match = CSRF_PATTERN.exec(page.text);
    if (!match) throw new Error(`No form token on ${pagePath} (status ${page.status})`);
    return match[1]!;
  }

  /** Opens `pagePath`, then posts `fields` to `action` as its form would. */
  async submit(pagePath: string, action: string, fields: Record<string, string>) {
    const token = await this.token(pagePath);
    return this.agent.post(action).type('form').set('Accept', 'text/html').send({ ...fields, _csrf: token });
  }

  async setUp(handle = 'river', password = 'a long enough password') {
    const res = await this.submit('/setup', '/setup', { name: 'Test Hearth', description: 'For tests', handle, password });
    if (res.status !== 303) throw new Error(`setup failed: ${res.status}\n${res.text}`);
    return res;
  }

  async register(handle: string, password = 'a long enough password', extra: Record<string, string> = {}) {
    const page = extra.invite ? `/register?invite=${extra.invite}` : '/register';
    return this.submit(page, '/register', { handle, password, ...extra });
  }

  async login(handle: string, password = 'a long enough password') {
    return this.submit('/login', '/login', { handle, password });
  }

  async logout() {
    return this.submit('/', '/logout', {});
  }
}

/** Sets up the instance with a steward, and returns that steward's visitor. */
export async function withSteward(hearth: Hearth, handle = 'river'): Promise<Visitor> {
  const steward = new Visitor(hearth);
  await steward.setUp(handle);
  return steward;
}

/** A circle opened through the steward tools. */
export async function openCircle(steward: Visitor, slug: string, name = 'Hearing voices', visibility = 'public') {
  const res = await steward.submit('/steward/circles/new', '/steward/circles/new', { slug, name, purpose: 'Sharing experiences', visibility });
  if (res.status !== 303) throw new Error(`circle failed: ${res.status}\n${res.text}`);
  return res;
}

/** A registered, logged-in member. */
export async function memberVisitor(hearth: Hearth, handle: string): Promise<Visitor> {
  const v = new Visitor(hearth);
  const res = await v.register(handle);
  if (res.status !== 303) throw new Error(`register failed: ${res.status}\n${res.text}`);
  return v;
}

/** What the settings form sends as it comes filled for a new member. */
export const SETTINGS_AS_NEW: Record<string, string> = {
  displayName: '',
  pronouns: '',
  bio: '',
  email: '',
  cwDisplay: 'folded',
  mutedWords: '',
  profileListed: 'on',
  federatePosts: 'on',
  timeZone: '',
};

/**
 * Sends the one settings form, filled as for a new member with `changes` on
 * top; a change of null leaves that field out, as an unticked box is.
 */
export async function saveSettings(v: Visitor, changes: Record<string, string | null>) {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...SETTINGS_AS_NEW, ...changes })) if (value !== null) fields[key] = value;
  return v.submit('/settings/profile', '/settings/profile', fields);
}

/** Starts a thread and returns its path. */
export async function startThread(v: Visitor, slug: string, fields: Record<string, string>): Promise<string> {
  const res = await v.submit(`/c/${slug}/new`, `/c/${slug}/new`, fields);
  if (res.status !== 303) throw new Error(`thread failed: ${res.status}\n${res.text}`);
  return res.headers.location as string;
}

/** A free loopback port (taken and released at once). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return port;
}

/**
 * A Hearth listening on loopback under its own PUBLIC_URL, allowed to
 * federate with local test servers. With `port` and `keepDatabase`, the same
 * instance started again (or a second process of it).
 */
export async function listeningHearth(
  options: { port?: number; env?: Record<string, string>; keepDatabase?: boolean } = {},
): Promise<{ hearth: Hearth; origin: string; port: number; close: () => Promise<void> }> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const hearth = await freshHearth({
    env: { PUBLIC_URL: origin, FEDERATION_ALLOW_HTTP: '1', FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1', ...options.env },
    keepDatabase: options.keepDatabase ?? false,
  });
  const server = hearth.app.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    hearth,
    origin,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await hearth.close();
    },
  };
}

/**
 * Waits until `check` holds. Hearth reacts to inbox activities after
 * answering: this first waits for the Hearths of this process to settle
 * (`federation.settled()`) and looks again, which is enough for everything
 * they do themselves. Only what other processes do (a peer handling what it
 * received, a Hearth in a child process) gives no signal to wait for; for
 * that it looks again every 50 ms until `timeoutMs`.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    await settled();
    const after = await check();
    if (after) return after;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Brings a member into a members-only circle: they ask to join, and one of
 * the circle's moderators (e.g. the steward who opened it) approves.
 */
export async function admitToCircle(moderator: Visitor, newcomer: Visitor, slug: string): Promise<void> {
  const ask = await newcomer.submit(`/c/${slug}`, `/c/${slug}/join`, {});
  if (ask.status !== 303) throw new Error(`asking to join failed: ${ask.status}\n${ask.text}`);
  const review = await moderator.get(`/c/${slug}/review`);
  const ids = [...review.text.matchAll(new RegExp(`/c/${slug}/join-requests/(\\d+)`, 'g'))].map((m) => m[1]!);
  for (const id of new Set(ids)) {
    const res = await moderator.submit(`/c/${slug}/review`, `/c/${slug}/join-requests/${id}`, { decision: 'approve' });
    if (res.status !== 303) throw new Error(`approving failed: ${res.status}\n${res.text}`);
  }
}

/** The <li> of a thread row with this title on a page, or '' when there is none. */
export function threadRowOf(html: string, title: string): string {
  const rows = html.split('<li class="thread-row').slice(1).map((r) => r.slice(0, r.indexOf('</li>')));
  return rows.find((r) => r.includes(`>${title}</a>`)) ?? '';
}

/** The <article> of the post whose text includes `words`, or '' when the page has none. */
export function postWith(html: string, words: string): string {
  const articles = html.split('<article class="post').slice(1).map((a) => a.slice(0, a.indexOf('</article>')));
  return articles.find((a) => a.includes(words)) ?? '';
}
