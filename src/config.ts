import path from 'node:path';
import { z } from 'zod';
import { parseUrl } from './domain/urls.js';

/**
 * Hearth's configuration, read from the environment once at start and checked.
 * Nothing else in Hearth reads process.env: everything is passed from here.
 */
export interface Config {
  host: string;
  port: number;
  /**
   * What this process does (HEARTH_ROLE): `web` serves pages and federation's
   * HTTP, `worker` delivers federation and does the housekeeping (no HTTP),
   * `both` does everything. Several of each may share one PostgreSQL database;
   * the embedded database allows exactly one process, doing both.
   */
  role: 'web' | 'worker' | 'both';
  /** The address people and other servers use to reach this instance. */
  publicUrl: URL;
  /** postgres://… to use a PostgreSQL server; undefined for embedded PGlite. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Limits on waiting for PostgreSQL (DATABASE_URL), so that a server that stops answering fails requests instead of hanging them. */
  database: DatabaseTimeouts;
  /** Backups the server makes by itself (BACKUP_DIR); undefined when it makes none. */
  backups: { dir: string; keep: number; intervalMs: number } | undefined;
  /** Signs session cookies; made and stored in the database when unset. */
  sessionSecret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Hops of reverse proxies to trust for the client address (express "trust proxy"). */
  trustProxy: number;
  /** Lets /metrics answer requests from elsewhere with `Authorization: Bearer <token>`; unset: loopback only. */
  metricsToken: string | undefined;
  /** NODE_ENV=development: templates are re-read on every request. */
  development: boolean;
  /** E-mail (SMTP_URL and MAIL_FROM, both or neither); undefined when the stewards set up none: Hearth then sends no mail and shows no mail settings. */
  mail: { smtpUrl: string; from: string } | undefined;
  federation: {
    allowPrivateAddresses: boolean;
    allowHttp: boolean;
    /** HEARTH_OUTBOX_PAUSED=1 (tests and drills only): federating events are recorded but not sent until a process without it runs. */
    outboxPaused: boolean;
    /** HEARTH_INBOX_PAUSED=1 (tests and drills only): incoming activities are stored and acknowledged but applied only by a process without it. */
    inboxPaused: boolean;
    /**
     * HEARTH_WORK_POLL_SECONDS (default 10): how often the delivery, outbox
     * and inbox workers look for work without being told. A backstop: queued
     * work wakes them at once (NOTIFY); this catches retries falling due.
     */
    workPollMs: number;
  };
}

export interface DatabaseTimeouts {
  /** Longest wait for a new connection (or a free one from the pool). */
  connectTimeoutMs: number;
  /** Longest a statement may run (PostgreSQL's statement_timeout); Hearth itself gives up 1 s later. */
  statementTimeoutMs: number;
  /** A transaction left idle this long is ended by the server (idle_in_transaction_session_timeout). */
  idleInTransactionTimeoutMs: number;
  /** How long /healthz waits for the database before answering 503. */
  healthTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 30_000,
  healthTimeoutMs: 1_500,
};

const millis = (fallback: number) => z.coerce.number().int().min(100).max(600_000).default(fallback);

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  HEARTH_ROLE: z.enum(['web', 'worker', 'both']).default('both'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_CONNECT_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.connectTimeoutMs),
  DATABASE_STATEMENT_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.statementTimeoutMs),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.idleInTransactionTimeoutMs),
  HEALTH_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.healthTimeoutMs),
  BACKUP_DIR: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0.01).max(24 * 31).default(24),
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters when set'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters when set'),
  NODE_ENV: z.string().optional(),
  SMTP_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^smtps?:\/\/[^\s/]+/.test(v), 'must start with smtp:// or smtps:// followed by the server (example: smtp://user:password@mail.example.org:587)'),
  MAIL_FROM: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(v.trim()), 'must be an address, e.g. hearth@example.org or "Our Hearth <hearth@example.org>"'),
  FEDERATION_ALLOW_PRIVATE_ADDRESSES: flag,
  FEDERATION_ALLOW_HTTP: flag,
  HEARTH_OUTBOX_PAUSED: flag,
  HEARTH_INBOX_PAUSED: flag,
  HEARTH_WORK_POLL_SECONDS: z.coerce.number().min(0.1).max(86_400).default(10),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hearth's configuration has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parsePublicUrl(raw: string | undefined, port: number): URL {
  const value = raw && raw !== '' ? raw : `http://localhost:${port}`;
  const url = parseUrl(value);
  if (!url) throw new ConfigError([`PUBLIC_URL "${value}" is not a URL (example: https://hearth.example.org)`]);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError([`PUBLIC_URL must start with http:// or https://, not ${url.protocol}`]);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(['PUBLIC_URL must be the bare origin, without a path (Hearth is served at the root)']);
  }
  return new URL(url.origin);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.HEARTH_ROLE !== 'both' && !e.DATABASE_URL) {
    throw new ConfigError([
      `HEARTH_ROLE=${e.HEARTH_ROLE} needs DATABASE_URL: the embedded database is used by one process, which does everything (HEARTH_ROLE=both)`,
    ]);
  }
  if ((e.SMTP_URL === undefined) !== (e.MAIL_FROM === undefined)) {
    throw new ConfigError(['SMTP_URL and MAIL_FROM go together: set both to send mail, or neither']);
  }
  return {
    role: e.HEARTH_ROLE,
    host: e.HOST,
    port: e.PORT,
    publicUrl: parsePublicUrl(e.PUBLIC_URL, e.PORT),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    database: {
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      healthTimeoutMs: e.HEALTH_TIMEOUT_MS,
    },
    backups: e.BACKUP_DIR
      ? { dir: path.resolve(e.BACKUP_DIR), keep: e.BACKUP_KEEP, intervalMs: Math.round(e.BACKUP_INTERVAL_HOURS * 3_600_000) }
      : undefined,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    development: e.NODE_ENV === 'development',
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM.trim() } : undefined,
    federation: {
      allowPrivateAddresses: e.FEDERATION_ALLOW_PRIVATE_ADDRESSES,
      allowHttp: e.FEDERATION_ALLOW_HTTP,
      outboxPaused: e.HEARTH_OUTBOX_PAUSED,
      inboxPaused: e.HEARTH_INBOX_PAUSED,
      workPollMs: Math.round(e.HEARTH_WORK_POLL_SECONDS * 1000),
    },
  };
}
