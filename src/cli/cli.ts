import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { CircleService } from '../domain/circles/circle-service.js';
import { systemClock } from '../domain/clock.js';
import { HearthError, ValidationError } from '../domain/errors.js';
import { textIn } from '../i18n/translate.js';
import { InstanceService } from '../domain/instance/instance-service.js';
import { MemberService } from '../domain/members/member-service.js';
import { argon2Hasher, type PasswordHasher } from '../domain/members/passwords.js';
import { PasswordResets } from '../domain/members/password-resets.js';
import { appendInstanceLogEntry } from '../../moderation/index.js';
import { resetLinkFor } from '../domain/members/reset-link.js';
import type { Database } from '../storage/database.js';
import { backupToFile, copyDatabase, restoreFromFile } from '../storage/backup.js';
import { migrate, pendingMigrations } from '../storage/migrate.js';
import { openDatabase } from '../storage/open-database.js';
import { openPgDatabase } from '../storage/pg-database.js';

export const USAGE = `Usage: hearth <command> [options]

Commands:
  migrate [--dry-run]                       bring the database schema up to date
                                            (--dry-run: list what would be applied)
  backup --to FILE                          write a compressed copy of everything
                                            (safe while the server runs on PostgreSQL)
  restore --from FILE [--force]             restore a backup into an empty database
                                            (--force: replace what is there)
  move-to-postgres --to postgres://…        copy the embedded database into an
                                            empty PostgreSQL database
  setup --name NAME [--description TEXT]    name a new instance
  member create --handle H --password P [--steward] [--email E] [--display-name N]
                                            create an account (--steward: a steward,
                                            to set up or recover; noted in the public
                                            log, serving until the members elect stewards)
  member reset-password --handle H         print a one-time password reset link
                                            (valid 24 hours; noted in the public
                                            moderation log, without the link)
  circle create --slug S --name N [--purpose TEXT] [--members-only]
                                            open a circle (noted in the public log)
  help                                      show this text

Hearth uses the same database as the server: DATABASE_URL when it is set,
otherwise the embedded database in DATA_DIR (default ./data).`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliDeps {
  /** An open, migrated database (tests); otherwise opened from the environment. */
  db?: Database;
  env?: NodeJS.ProcessEnv;
  hasher?: PasswordHasher;
}

class UsageError extends Error {}

function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const OPTIONS = {
  name: { type: 'string' },
  description: { type: 'string' },
  handle: { type: 'string' },
  password: { type: 'string' },
  steward: { type: 'boolean' },
  email: { type: 'string' },
  'display-name': { type: 'string' },
  slug: { type: 'string' },
  purpose: { type: 'string' },
  'members-only': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  to: { type: 'string' },
  from: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function need(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`Missing --${flag}.`);
  return value;
}

/** Runs one command; returns the exit code (0 done, 1 refused, 2 usage). */
export async function runCli(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const command = positionals.join(' ');
  if (v.help || command === 'help' || command === '') {
    io.out(USAGE);
    return command === '' && !v.help ? 2 : 0;
  }
  const known = ['migrate', 'setup', 'member create', 'member reset-password', 'circle create', 'backup', 'restore', 'move-to-postgres'];
  if (!known.includes(command)) {
    io.err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }

  let db = deps.db;
  try {
    // Checked before anything is opened.
    if (command === 'backup') need(v.to, 'to');
    if (command === 'restore') need(v.from, 'from');
    if (command === 'move-to-postgres' && !/^postgres(ql)?:\/\//.test(need(v.to, 'to'))) {
      throw new UsageError('--to must be a postgres:// address.');
    }
    const config = deps.db ? undefined : loadConfig(deps.env ?? process.env);
    if (command === 'move-to-postgres' && config?.databaseUrl) {
      io.err('move-to-postgres copies the embedded database (DATA_DIR); DATABASE_URL is set, so Hearth already uses PostgreSQL.');
      return 1;
    }
    if (!db) {
      try {
        db = await openDatabase(config!);
      } catch (error) {
        if (error instanceof Error && error.name === 'DataDirInUseError' && command === 'backup') {
          io.err(
            `${error.message}\nTo back up the embedded database while the server runs, set BACKUP_DIR for the server: it then writes backups itself (see README, "Backups").`,
          );
          return 1;
        }
        throw error;
      }
    }
    if (command === 'backup') {
      const started = Date.now();
      const r = await backupToFile(db, v.to!);
      io.out(`Backed up ${r.rows} rows from ${r.tables} tables to ${v.to} (${formatBytes(r.bytes)}, ${((Date.now() - started) / 1000).toFixed(1)} s).`);
      return 0;
    }
    if (command === 'restore') {
      const r = await restoreFromFile(db, v.from!, { force: v.force ?? false });
      io.out(`Restored ${r.rows} rows into ${r.tables} tables from ${v.from}.`);
      return 0;
    }
    if (command === 'move-to-postgres') {
      const target = openPgDatabase(v.to!, { max: 1, timeouts: config?.database });
      try {
        const r = await copyDatabase(db, target, { force: v.force ?? false });
        io.out(`Copied ${r.rows} rows from ${r.tables} tables into PostgreSQL. Start Hearth with DATABASE_URL set to that address; the embedded database in DATA_DIR was left as it was.`);
      } finally {
        await target.close();
      }
      return 0;
    }
    if (command === 'migrate' && v['dry-run']) {
      const pending = await pendingMigrations(db);
      io.out(pending.length ? `Would apply: ${pending.join(', ')}` : 'The database is up to date; nothing would be applied.');
      return 0;
    }
    const applied = await migrate(db);
    if (command === 'migrate') {
      io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    const members = new MemberService(db, deps.hasher ?? argon2Hasher(), systemClock);
    if (command === 'setup') {
      const { instance } = await new InstanceService(db, members).setup({ name: need(v.name, 'name'), description: v.description });
      io.out(`Instance "${instance.name}" is set up. Create a steward with: hearth member create --handle H --password P --steward`);
    } else if (command === 'member create') {
      const m = await members.create(
        { handle: need(v.handle, 'handle'), password: need(v.password, 'password'), email: v.email, displayName: v['display-name'] },
        v.steward ? 'steward' : 'member',
      );
      if (m.role === 'steward') {
        // Stewards are chosen by the members; one made here (to set up, or to recover) is said so in the public log.
        await appendInstanceLogEntry(db, {
          at: new Date(),
          event: 'steward_created',
          summary: `@${m.handle} was made a steward from the command line by whoever hosts the instance (to set up, or to recover access). They serve until the members’ next election of stewards.`,
          moderators: [m.handle],
        });
      }
      io.out(`Created ${m.role} @${m.handle}.`);
    } else if (command === 'member reset-password') {
      const passwords = new PasswordResets(db, deps.hasher ?? argon2Hasher(), systemClock, appendInstanceLogEntry);
      const issued = await passwords.issue(need(v.handle, 'handle'), { kind: 'command line' });
      io.out(`A one-time link for @${issued.member.handle} to choose a new password (works once, until ${issued.expiresAt.toISOString()}):`);
      io.out(resetLinkFor((config ?? loadConfig(deps.env ?? process.env)).publicUrl, issued.token));
      io.out('Give it only to them. Using it logs them out everywhere.');
    } else {
      const c = await new CircleService(db, { log: appendInstanceLogEntry }).create(null, {
        slug: need(v.slug, 'slug'),
        name: need(v.name, 'name'),
        purpose: v.purpose,
        visibility: v['members-only'] ? 'members' : 'public',
      });
      io.out(`Opened circle "${c.name}" at /c/${c.slug}.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ValidationError || (error instanceof HearthError && 'fields' in error)) {
      const fields = (error as ValidationError).fields;
      // The command line speaks English (the errors carry messages, not words).
      io.err([error.message, ...Object.entries(fields).map(([f, m]) => `  ${f}: ${textIn('en', m)}`)].join('\n'));
      return 1;
    }
    if (error instanceof HearthError || (error instanceof Error && ['ConfigError', 'DataDirInUseError'].includes(error.name))) {
      io.err(error.message);
      return 1;
    }
    io.err(`Hearth could not do that: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    if (db && !deps.db) await db.close();
  }
}
