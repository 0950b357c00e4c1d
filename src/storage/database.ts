/**
 * The one database interface Hearth uses. Two adapters implement it:
 * node-postgres against a server (DATABASE_URL) and embedded PGlite (DATA_DIR).
 * Repositories take a `Queryable` so that a transaction can be passed through.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A handle inside BEGIN/COMMIT. */
export interface Transaction extends Queryable {
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /** e.g. REPEATABLE READ for a consistent snapshot (backups). */
  isolation?: 'REPEATABLE READ' | 'SERIALIZABLE';
  readOnly?: boolean;
  /** No statement or idle timeouts (migrations, backups: long on purpose). */
  unlimited?: boolean;
}

export interface Database extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /** Runs `fn` inside BEGIN/COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs a script of several statements without parameters (migrations, test resets); Hearth sets no time limit of its own on it. */
  exec(sql: string): Promise<void>;
  /** Connections: a pg Pool's counts; PGlite's one connection is 1 total, 0 idle, 0 waiting. */
  poolStats(): PoolStats;
  /**
   * Hears PostgreSQL notifications on `channel` (LISTEN), from this process and
   * every other one using the database. `onReconnect` is called when the
   * listening connection was lost and is back: notifications sent meanwhile
   * were missed. Resolves once listening; the function it gives stops it.
   */
  listen(channel: string, handler: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /** Sends a notification (pg_notify); when called inside a transaction's work, use `tx.query('SELECT pg_notify($1, $2)')` instead. */
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Only for a database used by this one process (PGlite): a count that moves
   * before and after every statement that may change something (anything but
   * a plain SELECT), so a result read while it stayed the same is still true.
   */
  readonly writes?: () => number;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** A PostgreSQL error code, when the error came from the database. */
export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The constraint a unique/foreign-key violation names, when there is one. */
export function pgConstraint(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'constraint' in error) {
    const c = (error as { constraint: unknown }).constraint;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
