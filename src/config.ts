import path from 'node:path';
import { z } from 'zod';

/**
 * Hearth's configuration, read from the environment once at start and checked.
 * Nothing else in Hearth reads process.env: everything is passed from here.
 */
export interface Config {
  host: string;
  port: number;
  /** The address people and other servers use to reach this instance. */
  publicUrl: URL;
  /** postgres://… to use a PostgreSQL server; undefined for embedded PGlite. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Signs session cookies; made and stored in the database when unset. */
  sessionSecret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Hops of reverse proxies to trust for the client address (express "trust proxy"). */
  trustProxy: number;
  /** NODE_ENV=development: templates are re-read on every request. */
  development: boolean;
  federation: {
    allowPrivateAddresses: boolean;
    allowHttp: boolean;
  };
}

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://'),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters when set'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  NODE_ENV: z.string().optional(),
  FEDERATION_ALLOW_PRIVATE_ADDRESSES: flag,
  FEDERATION_ALLOW_HTTP: flag,
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hearth's configuration has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parsePublicUrl(raw: string | undefined, port: number): URL {
  const value = raw && raw !== '' ? raw : `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError([`PUBLIC_URL "${value}" is not a URL (example: https://hearth.example.org)`]);
  }
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
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: parsePublicUrl(e.PUBLIC_URL, e.PORT),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    development: e.NODE_ENV === 'development',
    federation: {
      allowPrivateAddresses: e.FEDERATION_ALLOW_PRIVATE_ADDRESSES,
      allowHttp: e.FEDERATION_ALLOW_HTTP,
    },
  };
}
