import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { packageRoot } from '../../src/paths.js';
import { openPgDatabase } from '../../src/storage/pg-database.js';
import { FakeRemoteServer } from '../helpers/fake-remote-server.js';
import { freePort } from '../helpers/test-hearth.js';

/**
 * Hearth's process model (README, "Several processes"): two web processes
 * and one delivery worker on one PostgreSQL database, behind HAProxy.
 */
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'].find((p) => existsSync(p));
const PASSWORD = 'a long enough password';

/** Waits for `check`, looking again every `everyMs`, until `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

class Proc {
  readonly output: string[] = [];
  constructor(readonly child: ChildProcess) {
    child.stderr!.on('data', (d: Buffer) => this.output.push(d.toString()));
  }

  async ready(line: string, timeoutMs = 180_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms:\n${this.output.join('')}`)), timeoutMs);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`stopped (${code}):\n${this.output.join('')}`));
      });
      createInterface({ input: this.child.stdout! }).on('line', (l) => {
        this.output.push(`${l}\n`);
        if (l.includes(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

interface Page {
  status: number;
  text: string;
  backend: string | null;
  cookie: string | undefined;
  cache: string | null;
  location: string | null;
}

async function request(url: string, init: { method?: string; cookie?: string; form?: Record<string, string> } = {}): Promise<Page> {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie');
  return {
    status: res.status,
    text: await res.text(),
    backend: res.headers.get('x-hearth-backend'),
    cookie: setCookie ? setCookie.split(';')[0] : undefined,
    cache: res.headers.get('x-hearth-cache'),
    location: res.headers.get('location'),
  };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const formTokenOf = (html: string) => /name="_formToken" value="([^"]+)"/.exec(html)?.[1];

/** A person with a cookie, sending forms as a browser does (reading the page for its CSRF token first). */
class Browser {
  cookie: string | undefined;
  readonly backends: string[] = [];
  async get(url: string): Promise<Page> {
    const page = await request(url, { cookie: this.cookie });
    if (page.cookie) this.cookie = page.cookie;
    if (page.backend) this.backends.push(page.backend);
    return page;
  }
  async submit(pageUrl: string, actionUrl: string, fields: Record<string, string>): Promise<Page> {
    const page = await this.get(pageUrl);
    const form: Record<string, string> = { ...fields, _csrf: csrfOf(page.text) };
    const token = formTokenOf(page.text);
    if (token) form._formToken = token;
    const res = await request(actionUrl, { cookie: this.cookie, form });
    if (res.cookie) this.cookie = res.cookie;
    if (res.backend) this.backends.push(res.backend);
    return res;
  }
}

describe('several Hearth processes on one PostgreSQL database, behind a load balancer', function () {
  this.timeout(300_000);
  const procs: Proc[] = [];
  let haproxy: Proc | undefined;
  let dir = '';
  let lb = '';
  const web: string[] = [];
  let dbUrl = '';
  let remote: FakeRemoteServer;

  before(async function () {
    const base = process.env.DATABASE_URL;
    if (!base) {
      // The embedded database allows one process only (README): nothing to test there.
      console.warn('    (skipped: needs a PostgreSQL server; set DATABASE_URL)');
      this.skip();
      return;
    }
    if (!HAPROXY) {
      if (process.env.CI) throw new Error('HAProxy is missing (apt-get install -y haproxy; .ci/run installs it)');
      console.warn('    (skipped: needs HAProxy; apt-get install -y haproxy)');
      this.skip();
      return;
    }
    // A database of its own next to the test database, so the other tests' resets do not touch it.
    const url = new URL(base);
    const name = `${url.pathname.slice(1)}_procs`;
    const admin = openPgDatabase(base, { max: 1 });
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.length === 0) await admin.exec(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.close();
    }
    url.pathname = `/${name}`;
    dbUrl = url.href;
    const db = openPgDatabase(dbUrl, { max: 1 });
    try {
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    } finally {
      await db.close();
    }

    remote = new FakeRemoteServer();
    await remote.start();

    dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-procs-'));
    const lbPort = await freePort();
    const ports = [await freePort(), await freePort()];
    lb = `http://127.0.0.1:${lbPort}`;
    const env = (role: string, port: number): NodeJS.ProcessEnv => ({
      ...process.env,
      DATABASE_URL: dbUrl,
      HEARTH_ROLE: role,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: lb,
      LOG_LEVEL: 'info',
      TRUST_PROXY: '1',
      FEDERATION_ALLOW_HTTP: '1',
      FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1',
    });
    const server = path.join(packageRoot, 'dist', 'src', 'server.js');
    const start = (role: string, port: number) => {
      const p = new Proc(spawn(process.execPath, [server], { env: env(role, port), stdio: ['ignore', 'pipe', 'pipe'] }));
      procs.push(p);
      return p;
    };
    // The first web process applies the migrations; the others start on a migrated database.
    const first = start('web', ports[0]!);
    await first.ready('Hearth is listening');
    const second = start('web', ports[1]!);
    const worker = start('worker', 0);
    await Promise.all([second.ready('Hearth is listening'), worker.ready('Hearth worker is running')]);
    web.push(...ports.map((p) => `http://127.0.0.1:${p}`));

    const config = path.join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      [
        'global',
        '  maxconn 256',
        'defaults',
        '  mode http',
        '  timeout connect 5s',
        '  timeout client 60s',
        '  timeout server 60s',
        'frontend hearth',
        `  bind 127.0.0.1:${lbPort}`,
        '  default_backend webs',
        'backend webs',
        '  balance roundrobin',
        '  option forwardfor',
        '  http-response set-header X-Hearth-Backend %[srv_name]',
        `  server web1 127.0.0.1:${ports[0]}`,
        `  server web2 127.0.0.1:${ports[1]}`,
        '',
      ].join('\n'),
    );
    const check = spawnSync(HAPROXY, ['-c', '-f', config], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).to.equal(0);
    haproxy = new Proc(spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await until('HAProxy listens', () => accepts(lbPort));

    // The instance, its steward and a public circle, set up through the load balancer.
    const steward = new Browser();
    const setup = await steward.submit(`${lb}/setup`, `${lb}/setup`, { name: 'Two processes', description: '', handle: 'river', password: PASSWORD });
    expect(setup.status, setup.text).to.equal(303);
    const circle = await steward.submit(`${lb}/steward/circles/new`, `${lb}/steward/circles/new`, { slug: 'voices', name: 'Hearing voices', purpose: '', visibility: 'public' });
    expect(circle.status, circle.text).to.equal(303);
  });

  after(async () => {
    await haproxy?.stop();
    for (const p of procs) await p.stop();
    await remote?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends requests to both web processes in turn', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await request(`${lb}/`)).backend ?? '');
    expect([...seen].sort()).to.deep.equal(['web1', 'web2']);
  });

  it('keeps a session made on one process on the other', async () => {
    const member = new Browser();
    const login = await member.submit(`${web[0]}/login`, `${web[0]}/login`, { handle: 'river', password: PASSWORD });
    expect(login.status, login.text).to.equal(303);
    const other = await request(`${web[1]}/settings/profile`, { cookie: member.cookie });
    expect(other.status, other.text).to.equal(200);
    expect(other.text).to.contain('river');
  });

  it('counts failed logins across both processes', async () => {
    const someone = new Browser();
    for (let i = 0; i < 10; i++) {
      const res = await someone.submit(`${lb}/login`, `${lb}/login`, { handle: 'river', password: 'not the password' });
      expect(res.status).to.be.within(400, 499);
    }
    expect(new Set(someone.backends)).to.have.property('size', 2);
    // The right password, on either process, now waits for the pause to end.
    for (const origin of web) {
      const res = await new Browser().submit(`${origin}/login`, `${origin}/login`, { handle: 'river', password: PASSWORD });
      expect(res.status, origin).to.not.equal(303);
      expect(res.text).to.contain('paused');
    }
    const db = openPgDatabase(dbUrl, { max: 1 });
    try {
      await db.query('DELETE FROM rate_limit_counters');
    } finally {
      await db.close();
    }
  });

  it('shows a post made through one process on the other’s visitor page within a second', async () => {
    const member = new Browser();
    expect((await member.submit(`${web[0]}/login`, `${web[0]}/login`, { handle: 'river', password: PASSWORD })).status).to.equal(303);
    const made = await member.submit(`${web[0]}/c/voices/new`, `${web[0]}/c/voices/new`, { title: 'Across processes', body: 'first words' });
    expect(made.status, made.text).to.equal(303);
    const threadUrl = new URL((await fetch(`${web[0]}/c/voices`).then((r) => r.text())).match(/href="(\/c\/voices\/t\/\d+)"/)![1]!, web[1]).href;
    // The visitors' page on the second process, cached.
    await request(threadUrl);
    expect((await request(threadUrl)).cache).to.equal('hit');
    const threadPath = new URL(threadUrl).pathname;
    const reply = await member.submit(`${web[0]}${threadPath}`, `${web[0]}${threadPath}/reply`, { body: 'a reply through the first process' });
    expect(reply.status, reply.text).to.equal(303);
    const sent = Date.now();
    await until('the reply on the second process', async () => (await request(threadUrl)).text.includes('a reply through the first process'), 1_000, 10);
    expect(Date.now() - sent).to.be.below(1_000);
  });

  it('sends a member’s kept page on one process only while it is what they would see', async () => {
    const river = new Browser();
    expect((await river.submit(`${web[0]}/login`, `${web[0]}/login`, { handle: 'river', password: PASSWORD })).status).to.equal(303);
    const sky = new Browser();
    expect((await sky.submit(`${web[0]}/register`, `${web[0]}/register`, { handle: 'sky', password: PASSWORD })).status).to.equal(303);
    const made = await river.submit(`${web[0]}/c/voices/new`, `${web[0]}/c/voices/new`, { title: 'Kept across processes', body: 'opening words' });
    expect(made.status, made.text).to.equal(303);
    const threadPath = new URL(made.location!, web[0]).pathname;
    const keptOnSecond = () => until('river’s page kept on the second process', async () => (await river.get(`${web[1]}${threadPath}`)).cache === 'hit', 2_000, 10);
    await keptOnSecond();
    // River's own reply through the first process is on the second's page at once, on his very next request.
    const own = await river.submit(`${web[0]}${threadPath}`, `${web[0]}${threadPath}/reply`, { body: 'my own reply through the first process' });
    expect(own.status, own.text).to.equal(303);
    const next = await river.get(`${web[1]}${threadPath}`);
    expect(next.cache).to.equal(null);
    expect(next.text).to.contain('my own reply through the first process');
    // Sky's reply through the first process reaches river's page on the second within a second (NOTIFY).
    await keptOnSecond();
    const theirs = await sky.submit(`${web[0]}${threadPath}`, `${web[0]}${threadPath}/reply`, { body: 'sky replies through the first process' });
    expect(theirs.status, theirs.text).to.equal(303);
    const sent = Date.now();
    await until('sky’s reply on river’s page on the second process', async () => (await river.get(`${web[1]}${threadPath}`)).text.includes('sky replies through the first process'), 1_000, 10);
    expect(Date.now() - sent).to.be.below(1_000);
  });

  it('delivers every activity exactly once, and refuses a replayed inbox request on the other process', async () => {
    // What earlier tests posted is published by the worker after their requests answered (the outbox):
    // let it all go out before the follow, so only this test's threads reach the follower.
    const before = openPgDatabase(dbUrl, { max: 1 });
    try {
      await until('the outbox drained', async () => (await before.query('SELECT 1 FROM outbox_events WHERE gave_up_at IS NULL AND applied_at IS NULL')).length === 0, 60_000);
    } finally {
      await before.close();
    }
    const follow = { id: `${remote.origin}/follows/1`, type: 'Follow', actor: remote.actorId, object: `${lb}/c/voices` };
    const first = await remote.send(`${lb}/c/voices/inbox`, follow);
    expect(first.status, first.text).to.be.within(200, 299);
    // The same signed request again: the load balancer sends it to the other process, which knows it.
    const again = await remote.replay();
    expect(again.status).to.equal(401);
    expect(again.text).to.contain('replayed');

    const member = new Browser();
    expect((await member.submit(`${lb}/login`, `${lb}/login`, { handle: 'river', password: PASSWORD })).status).to.equal(303);
    for (let i = 0; i < 4; i++) {
      const res = await member.submit(`${lb}/c/voices/new`, `${lb}/c/voices/new`, { title: `Delivered ${i}`, body: `words ${i}` });
      expect(res.status, res.text).to.equal(303);
    }
    expect(new Set(member.backends)).to.have.property('size', 2);
    const db = openPgDatabase(dbUrl, { max: 1 });
    try {
      // Done when the queue is empty: the Accept, and each thread's two Announces.
      await until('deliveries done', async () => (await db.query('SELECT 1 FROM ap_deliveries')).length === 0 && remote.received.length >= 9, 60_000);
    } finally {
      await db.close();
    }
    const ids = remote.received.map((r) => String(r.activity.id));
    expect(new Set(ids).size, ids.join('\n')).to.equal(ids.length);
    expect(remote.received.filter((r) => r.activity.type === 'Accept')).to.have.length(1);
    expect(remote.received.filter((r) => r.activity.type === 'Announce')).to.have.length(8);
    expect(remote.received.every((r) => r.signatureProblem === undefined)).to.equal(true);
  });
});
