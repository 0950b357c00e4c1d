import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { ConflictError, NewerSchemaError } from '../domain/errors.js';
import type { Database, Queryable, Transaction } from './database.js';
import { appliedVersions, loadMigrations, migrateIn, type Migration } from './migrate.js';

/**
 * Hearth's backup format (docs: README, "Backups"). A gzip'ed file of JSON
 * lines; every line is an array whose first element says what it is:
 *
 *   ["hearth-backup", {"format": 1, "createdAt", "source": "pg"|"pglite", "migrations": ["0001", …]}]
 *   ["table", name, [column, …]]      then one line per row:
 *   ["row", {column: value, …}]       (PostgreSQL's row_to_json of the row)
 *   ["end", name, rowCount]
 *   ["sequences", {sequence: lastValue|null, …}]
 *   ["done", totalRows]               (a file without it is incomplete and refused)
 *
 * The schema is not in the file: it is the migrations listed in the header,
 * which restore applies before loading the rows (and the newer ones after).
 * Everything is read in one REPEATABLE READ transaction, so the copy is
 * consistent while the server keeps running.
 */
export const BACKUP_FORMAT = 1;
const BATCH = 500;

const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  source: z.enum(['pg', 'pglite']),
  migrations: z.array(z.string().regex(/^\d{4}$/)),
});
type Header = z.infer<typeof headerSchema>;

const lineSchema = z.union([
  z.tuple([z.literal('hearth-backup'), headerSchema]),
  z.tuple([z.literal('table'), z.string(), z.array(z.string())]),
  z.tuple([z.literal('row'), z.record(z.string(), z.unknown())]),
  z.tuple([z.literal('end'), z.string(), z.number().int().min(0)]),
  z.tuple([z.literal('sequences'), z.record(z.string(), z.number().nullable())]),
  z.tuple([z.literal('done'), z.number().int().min(0)]),
]);
export type BackupLine = z.infer<typeof lineSchema>;

export interface BackupSummary {
  tables: number;
  rows: number;
}

/** A quoted SQL identifier (names come from the catalogue or a checked backup). */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function userTables(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  return rows.map((r) => r.name);
}

async function columnsOf(q: Queryable, table: string): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.name);
}

/**
 * Reads everything in one consistent snapshot and hands each line to `emit`
 * (which may wait: rows are read in batches through a cursor).
 */
export async function dumpDatabase(db: Database, emit: (line: string) => Promise<void> | void): Promise<BackupSummary> {
  return db.transaction(
    async (tx) => {
      const migrations = await appliedVersions(tx);
      const header: Header = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), source: db.kind, migrations };
      await emit(JSON.stringify(['hearth-backup', header]));
      const tables = await userTables(tx);
      let total = 0;
      for (const table of tables) {
        const columns = await columnsOf(tx, table);
        await emit(JSON.stringify(['table', table, columns]));
        await tx.query(
          `DECLARE hearth_backup NO SCROLL CURSOR FOR SELECT row_to_json(r)::text AS j FROM (SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}) r`,
        );
        let count = 0;
        for (;;) {
          const batch = await tx.query<{ j: string }>(`FETCH ${BATCH} FROM hearth_backup`);
          for (const { j } of batch) await emit(`["row",${j}]`);
          count += batch.length;
          if (batch.length < BATCH) break;
        }
        await tx.query('CLOSE hearth_backup');
        await emit(JSON.stringify(['end', table, count]));
        total += count;
      }
      const sequences = await tx.query<{ name: string; value: number | string | null }>(
        "SELECT sequencename AS name, last_value AS value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename",
      );
      await emit(JSON.stringify(['sequences', Object.fromEntries(sequences.map((s) => [s.name, s.value === null ? null : Number(s.value)]))]));
      await emit(JSON.stringify(['done', total]));
      return { tables: tables.length, rows: total };
    },
    { isolation: 'REPEATABLE READ', readOnly: true, unlimited: true },
  );
}

/** Writes a backup to `file` (gzip'ed; written beside it first, renamed when complete). */
export async function backupToFile(db: Database, file: string): Promise<BackupSummary & { bytes: number }> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial, { mode: 0o600 });
  const written = pipeline(gzip, out);
  try {
    const summary = await dumpDatabase(db, async (line) => {
      if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
    });
    gzip.end();
    await written;
    renameSync(partial, file);
    return { ...summary, bytes: out.bytesWritten };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined); // the first error is the one to report
    rmSync(partial, { force: true });
    throw error;
  }
}

/** The lines of a backup file, checked one by one. */
export async function* readBackupFile(file: string): AsyncGenerator<BackupLine> {
  const input = createReadStream(file).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConflictError(`${file} is not a Hearth backup (line ${n} is not JSON: ${(error as Error).message}).`);
    }
    const line = lineSchema.safeParse(parsed);
    if (!line.success) throw new ConflictError(`${file} is not a Hearth backup, or is damaged (line ${n}).`);
    yield line.data;
  }
}

export interface RestoreOptions {
  /** Replace what the target holds (otherwise a target with any rows is refused). */
  force?: boolean;
  migrations?: Migration[];
}

/** True when the target has rows in any table (other than the migration record). */
export async function holdsData(q: Queryable): Promise<boolean> {
  for (const table of await userTables(q)) {
    if ((await q.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`)).length > 0) return true;
  }
  return false;
}

/**
 * Loads backup lines into `tx`: checks the target, builds the schema the
 * backup was made with, loads every table with foreign keys set aside, puts
 * them back (checking them), sets the sequences, then applies any newer
 * migrations. The caller's transaction makes it all or nothing.
 */
export class Restorer {
  private header: Header | undefined;
  private table: { name: string; columns: string[]; count: number } | undefined;
  private batch: Array<Record<string, unknown>> = [];
  private total = 0;
  private tables = 0;
  private foreignKeys: Array<{ table: string; name: string; definition: string }> = [];
  private triggered: string[] = [];
  private finished = false;
  private readonly migrations: Migration[];

  constructor(
    private readonly tx: Transaction,
    private readonly options: RestoreOptions = {},
  ) {
    this.migrations = options.migrations ?? loadMigrations();
  }

  async write(line: BackupLine): Promise<void> {
    if (this.finished) throw new ConflictError('The backup goes on after its end; it is damaged.');
    if (line[0] === 'hearth-backup') return this.begin(line[1]);
    if (!this.header) throw new ConflictError('The backup does not start with its header; it is damaged.');
    switch (line[0]) {
      case 'table':
        await this.flush();
        this.table = { name: line[1], columns: line[2], count: 0 };
        return;
      case 'row':
        if (!this.table) throw new ConflictError('The backup has a row outside a table; it is damaged.');
        this.batch.push(line[1]);
        this.table.count++;
        if (this.batch.length >= BATCH) await this.flush();
        return;
      case 'end':
        await this.flush();
        if (!this.table || this.table.name !== line[1] || this.table.count !== line[2]) {
          throw new ConflictError(`The backup's table ${line[1]} is incomplete; it is damaged.`);
        }
        this.tables++;
        this.total += line[2];
        this.table = undefined;
        return;
      case 'sequences':
        for (const [name, value] of Object.entries(line[1])) {
          if (value !== null) await this.tx.query('SELECT setval($1::regclass, $2)', [`public.${ident(name)}`, value]);
        }
        return;
      case 'done':
        if (line[1] !== this.total) throw new ConflictError('The backup is incomplete; it is damaged.');
        await this.finish();
        return;
    }
  }

  /** Whether the backup's last line has been read (a file that ends earlier is incomplete). */
  get complete(): boolean {
    return this.finished;
  }

  summary(): BackupSummary {
    return { tables: this.tables, rows: this.total };
  }

  private async begin(header: Header): Promise<void> {
    const known = this.migrations.map((m) => m.version);
    const unknown = header.migrations.filter((v) => !known.includes(v));
    if (unknown.length > 0) throw new NewerSchemaError(unknown.at(-1)!, known.at(-1) ?? '0000');
    const tx = this.tx;
    if (this.options.force || (await userTables(tx)).length > 0 || (await appliedVersions(tx)).length > 0) {
      if (!this.options.force && (await holdsData(tx))) {
        throw new ConflictError('The place to restore into already holds data. Nothing was changed. Use --force to replace it.');
      }
      // Empty tables (a server started once) or --force: start from an empty schema.
      await tx.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    }
    this.header = header;
    const upTo = header.migrations.at(-1) ?? '0000';
    await migrateIn(tx, this.migrations, upTo);
    // Set foreign keys aside while rows arrive in whatever order; they are put back (and so checked) at the end.
    this.foreignKeys = await tx.query<{ table: string; name: string; definition: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = 'public'`,
    );
    for (const fk of this.foreignKeys) await tx.exec(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${ident(fk.name)}`);
    // Rows are put back as they were: triggers (which note changes as they happen) stay still meanwhile.
    this.triggered = (
      await tx.query<{ table: string }>(
        `SELECT DISTINCT t.tgrelid::regclass::text AS table
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE NOT t.tgisinternal AND n.nspname = 'public'`,
      )
    ).map((r) => r.table);
    for (const table of this.triggered) await tx.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  }

  private async flush(): Promise<void> {
    if (!this.table || this.batch.length === 0) return;
    const cols = this.table.columns.map(ident).join(', ');
    await this.tx.query(
      `INSERT INTO ${ident(this.table.name)} (${cols}) OVERRIDING SYSTEM VALUE
       SELECT ${cols} FROM json_populate_recordset(NULL::${ident(this.table.name)}, $1::json)`,
      [JSON.stringify(this.batch)],
    );
    this.batch = [];
  }

  private async finish(): Promise<void> {
    for (const fk of this.foreignKeys) await this.tx.exec(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    for (const table of this.triggered) await this.tx.exec(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    // Identity columns never hand out a value a restored row already has.
    for (const table of await userTables(this.tx)) {
      const ids = await this.tx.query<{ column: string; seq: string }>(
        `SELECT a.attname AS column, pg_get_serial_sequence($1, a.attname) AS seq
           FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            AND pg_get_serial_sequence($1, a.attname) IS NOT NULL`,
        [`public.${ident(table)}`],
      );
      for (const { column, seq } of ids) {
        await this.tx.query(
          `SELECT setval($1::regclass, GREATEST((SELECT max(${ident(column)}) FROM ${ident(table)}), (SELECT last_value FROM ${seq}), 1))`,
          [seq],
        );
      }
    }
    await migrateIn(this.tx, this.migrations);
    this.finished = true;
  }
}

/** Restores a backup file into `db` (all or nothing). */
export async function restoreFromFile(db: Database, file: string, options: RestoreOptions = {}): Promise<BackupSummary> {
  return db.transaction(
    async (tx) => {
      const restorer = new Restorer(tx, options);
      for await (const line of readBackupFile(file)) await restorer.write(line);
      if (!restorer.complete) throw new ConflictError(`${file} ends before the backup does; it is incomplete. Nothing was changed.`);
      return restorer.summary();
    },
    { unlimited: true },
  );
}

/** Copies everything from `source` into the empty `target` (hearth move-to-postgres). */
export async function copyDatabase(source: Database, target: Database, options: RestoreOptions = {}): Promise<BackupSummary> {
  return target.transaction(
    async (tx) => {
      const restorer = new Restorer(tx, options);
      await dumpDatabase(source, (text) => restorer.write(lineSchema.parse(JSON.parse(text))));
      if (!restorer.complete) throw new ConflictError('The copy did not finish. Nothing was changed.');
      return restorer.summary();
    },
    { unlimited: true },
  );
}
