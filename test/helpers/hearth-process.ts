import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import supertest from 'supertest';
import { packageRoot } from '../../src/paths.js';

async function freePortOn(host: string): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, host);
  await new Promise((r) => probe.once('listening', r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** What src/server.ts logs once it listens. */
const READY_LINE = 'Hearth is listening';

/** A Hearth server in its own process, on its own loopback address, with its own embedded database. */
export class HearthProcess {
  origin = '';
  host = '';
  private child!: ChildProcess;
  private dataDir = '';
  private output: string[] = [];
  private port = 0;
  private address = '';
  private sharedDatabase = false;

  /**
   * Starts the process. `env` is added to its environment; with
   * `sharedDatabase`, a PostgreSQL test run's DATABASE_URL is passed on (the
   * test empties that database first), otherwise it has its own embedded one.
   */
  async start(address: string, options: { env?: Record<string, string>; sharedDatabase?: boolean } = {}): Promise<void> {
    this.address = address;
    this.port = await freePortOn(address);
    this.origin = `http://${address}:${this.port}`;
    this.host = `${address}:${this.port}`;
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-proc-'));
    this.sharedDatabase = options.sharedDatabase === true;
    await this.launch(options.env ?? {});
  }

  /** Kills the process at once (SIGKILL: no shutdown step runs), keeping its data for `restart`. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Starts the process again on the same address, port and data. */
  async restart(env: Record<string, string> = {}): Promise<void> {
    this.output.push('--- restarted ---\n');
    await this.launch(env);
  }

  private async launch(extra: Record<string, string>): Promise<void> {
    const port = this.port;
    const address = this.address;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: address,
      PORT: String(port),
      PUBLIC_URL: this.origin,
      DATA_DIR: this.dataDir,
      // Info, for the line the server prints once it listens.
      LOG_LEVEL: 'info',
      FEDERATION_ALLOW_HTTP: '1',
      FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1',
      ...extra,
    };
    if (!this.sharedDatabase) delete env.DATABASE_URL;
    this.child = spawn(process.execPath, [path.join(packageRoot, 'dist', 'src', 'server.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => this.output.push(d.toString()));
    // Ready when the server says it listens (src/server.ts); a loaded machine may take long to get there.
    const deadlineMs = Number(process.env.HEARTH_TEST_START_TIMEOUT_MS ?? 180_000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Hearth at ${this.origin} did not start within ${deadlineMs} ms (HEARTH_TEST_START_TIMEOUT_MS):\n${this.log()}`)), deadlineMs);
      const exited = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`Hearth at ${this.origin} stopped (${code}):\n${this.log()}`));
      };
      this.child.once('exit', exited);
      createInterface({ input: this.child.stdout! }).on('line', (line) => {
        this.output.push(`${line}\n`);
        if (line.includes(READY_LINE)) {
          clearTimeout(timer);
          this.child.off('exit', exited);
          resolve();
        }
      });
    });
  }

  /** What the process printed (for failing tests). */
  log(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A person using this instance through HTTP, with their own cookies. */
  person(): RemoteVisitor {
    return new RemoteVisitor(this.origin);
  }
}

const CSRF = /name="_csrf" value="([^"]+)"/;

export class RemoteVisitor {
  readonly agent: ReturnType<typeof supertest.agent>;
  constructor(origin: string) {
    this.agent = supertest.agent(origin);
  }
  get(p: string) {
    return this.agent.get(p).set('Accept', 'text/html');
  }
  async submit(page: string, action: string, fields: Record<string, string>) {
    const token = CSRF.exec((await this.get(page)).text)?.[1];
    if (!token) throw new Error(`no form on ${page}`);
    return this.agent.post(action).type('form').set('Accept', 'text/html').send({ ...fields, _csrf: token });
  }
}
