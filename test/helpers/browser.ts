import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import axe from 'axe-core';
import { expect } from 'chai';
import type { Hearth } from '../../src/app.js';
import { freshHearth, Visitor, withSteward } from './test-hearth.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH}: run "apt-get install -y chromium" (.ci/run does).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Serves a Hearth on a free loopback port. */
export async function serve(hearth: Hearth): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server: Server = hearth.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** Runs axe-core in the page; returns serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate() runs through the DevTools protocol, so the page's CSP (no
  // inline scripts) stays on and is not what lets axe in.
  await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }> }> } };
    return w.axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
}

/** The page has no serious or critical axe violations; `where` names it in a failure (else its address). */
export async function expectAccessible(page: Page, where?: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${where ?? page.url()}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
}

/** Opens `path` and checks it as `expectAccessible` does. */
export async function expectAccessibleAt(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expectAccessible(page, path);
}

/**
 * Saves a screenshot for people to look at (an artifact, not something a test
 * asserts). Chromium sometimes answers "Unable to capture screenshot" when the
 * machine is busy; the shot is then taken once more.
 */
export async function saveScreenshot(page: Page, options: { path: string; fullPage?: boolean }): Promise<void> {
  try {
    await page.screenshot(options);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('Unable to capture screenshot')) throw error;
    await page.screenshot(options);
  }
}

export const TEST_PASSWORD = 'a long enough password';

/** Joins the instance through the registration form, as a new member would. */
export async function registerInBrowser(page: Page, handle: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL('**/?welcome=member');
}

/** Logs in through the login form. */
export async function logInInBrowser(page: Page, handle: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Opens the member's menu in the navigation (wide screens: a <details> by their name). */
export async function openMemberMenu(page: Page): Promise<void> {
  const menu = page.locator('details.member-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
}

export interface BrowserSuiteOptions {
  /** Opens the Hearth to serve (a fresh one unless told). */
  hearth?: () => Promise<Hearth>;
  /** Sets the instance up with a steward, `river` (through /setup, as `withSteward` does), before serving it. */
  steward?: boolean;
}

/**
 * One served Hearth and one Chromium for a `describe` of browser tests:
 * `browserSuite()` registers the `before` that opens them and the `after`
 * that closes every browser context made, the browser, the server and the
 * Hearth. A test file's own `before` hooks, registered after it, run after
 * it, so they can fill the instance (`suite.hearth`) or open pages.
 */
export class BrowserSuite {
  #hearth: Hearth | undefined;
  #server: { baseUrl: string; close: () => Promise<void> } | undefined;
  #browser: Browser | undefined;
  #steward: Visitor | undefined;
  readonly #contexts: BrowserContext[] = [];

  constructor(private readonly options: BrowserSuiteOptions = {}) {}

  async open(): Promise<void> {
    this.#hearth = await (this.options.hearth ?? (() => freshHearth()))();
    if (this.options.steward) this.#steward = await withSteward(this.#hearth);
    this.#server = await serve(this.#hearth);
    this.#browser = await launchChromium();
  }

  async close(): Promise<void> {
    for (const c of this.#contexts.splice(0)) await c.close();
    await this.#browser?.close();
    await this.#server?.close();
    await this.#hearth?.close();
  }

  get hearth(): Hearth {
    return opened(this.#hearth, 'hearth');
  }

  get baseUrl(): string {
    return opened(this.#server, 'server').baseUrl;
  }

  /** The steward `river`'s HTTP visitor (with `steward: true`). */
  get steward(): Visitor {
    return opened(this.#steward, 'steward (ask for it with { steward: true })');
  }

  /** A browser of its own (its own cookies) on the served Hearth: locale, time zone, viewport… as `options` say. */
  async context(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await opened(this.#browser, 'browser').newContext({ baseURL: this.baseUrl, ...options });
    this.#contexts.push(context);
    return context;
  }

  /** A person in their own browser: a visitor, or logged in as `handle` through the login form. */
  async person(handle?: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await this.context(options)).newPage();
    if (handle) await logInInBrowser(page, handle);
    return page;
  }

  /** Someone new in their own browser, who joins as `handle` through the registration form. */
  async newcomer(handle: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await this.context(options)).newPage();
    await registerInBrowser(page, handle);
    return page;
  }
}

function opened<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The browser suite's ${what} is not open: use it inside tests or hooks registered after browserSuite()`);
  return value;
}

/** A `BrowserSuite` opened before this `describe`'s tests and closed after them. */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  const suite = new BrowserSuite(options);
  before(() => suite.open());
  after(() => suite.close());
  return suite;
}
