import { statSync } from 'node:fs';
import path from 'node:path';
import type { Database, PoolStats } from '../../storage/database.js';
import { listBackups } from '../../storage/backup-schedule.js';
import {
  databaseSizeBytes,
  deliveriesByHost,
  deliveryGiveUps,
  makeHostDeliveriesDueNow,
  type HostDeliveries,
  type HostGiveUps,
} from '../../storage/repositories/health-repository.js';
import { countStoppedAddresses } from '../../storage/repositories/mail-repository.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { msg } from '../../i18n/message.js';
import { isSteward, type Member } from '../members/member.js';
import type { InboxTally } from './inbox-tally.js';

export interface HealthReport {
  version: string;
  deliveries: { waiting: number; failing: number; givenUp: number };
  /** Servers with deliveries waiting or given up, failing ones first. */
  servers: Array<HostDeliveries & { givenUp: number; lastGiveUp: Date | null; givenUpError: string | null }>;
  inbox: { accepted: number; refused: Array<{ reason: string; count: number }> };
  databaseBytes: number;
  /** E-mail: undefined when no SMTP is configured; else how many members' addresses mail was given up for. */
  mail: { stoppedAddresses: number } | undefined;
  /** undefined when the server makes no backups (no BACKUP_DIR); null when none is there yet. */
  lastBackup: { file: string; at: Date; bytes: number } | null | undefined;
}

const HOST = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/i;

/** How the instance itself is doing: for stewards (the Health page) and for /metrics. */
export class HealthService {
  constructor(
    private readonly o: { db: Database; inbox: InboxTally; version: string; backupDir: string | undefined; mailConfigured?: boolean },
  ) {}

  get version(): string {
    return this.o.version;
  }

  async report(viewer: Member | undefined): Promise<HealthReport> {
    if (!isSteward(viewer)) throw new ForbiddenError(msg('governance.health.only_stewards'));
    const [queued, giveUps, databaseBytes] = await Promise.all([deliveriesByHost(this.o.db), deliveryGiveUps(this.o.db), databaseSizeBytes(this.o.db)]);
    const byHost = new Map(giveUps.map((g) => [g.host, g]));
    const servers: HealthReport['servers'] = queued.map((h) => {
      const g = byHost.get(h.host);
      byHost.delete(h.host);
      return { ...h, givenUp: g?.givenUp ?? 0, lastGiveUp: g?.lastAt ?? null, givenUpError: g?.lastError ?? null };
    });
    for (const g of byHost.values()) {
      servers.push({ host: g.host, waiting: 0, failing: 0, lastError: null, nextAttemptAt: null, givenUp: g.givenUp, lastGiveUp: g.lastAt, givenUpError: g.lastError });
    }
    return {
      version: this.o.version,
      deliveries: {
        waiting: queued.reduce((s, h) => s + h.waiting, 0),
        failing: queued.reduce((s, h) => s + h.failing, 0),
        givenUp: giveUps.reduce((s, g) => s + g.givenUp, 0),
      },
      servers,
      inbox: this.o.inbox.snapshot(),
      databaseBytes,
      mail: this.o.mailConfigured ? { stoppedAddresses: await countStoppedAddresses(this.o.db) } : undefined,
      lastBackup: this.lastBackup(),
    };
  }

  /** "Retry this server's deliveries now": its waiting deliveries become due. Returns how many. */
  async retryServer(viewer: Member | undefined, host: string): Promise<number> {
    if (!isSteward(viewer)) throw new ForbiddenError(msg('governance.health.only_stewards_retry'));
    if (!HOST.test(host)) throw new ValidationError({ host: msg('governance.health.not_a_server') });
    return makeHostDeliveriesDueNow(this.o.db, host);
  }

  /** What /metrics reports about the queue and the database, read at scrape time. */
  async queue(): Promise<{ servers: HostDeliveries[]; giveUps: HostGiveUps[] }> {
    const [servers, giveUps] = await Promise.all([deliveriesByHost(this.o.db), deliveryGiveUps(this.o.db)]);
    return { servers, giveUps };
  }

  poolStats(): PoolStats {
    return this.o.db.poolStats();
  }

  private lastBackup(): HealthReport['lastBackup'] {
    const dir = this.o.backupDir;
    if (!dir) return undefined;
    const newest = listBackups(dir).at(-1);
    if (!newest) return null;
    const stat = statSync(path.join(dir, newest));
    return { file: newest, at: stat.mtime, bytes: stat.size };
  }
}
