import { randomBytes, randomUUID } from 'node:crypto';
import { GuardedMediaFetcher } from './federation/media-fetcher.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { appendInstanceLogEntry, createModeration, instanceJoiningRules, memberBlocks, moderationExportSections, stewardsMayOpenCircles } from '../moderation/index.js';
import type { Config } from './config.js';
import { findMentions, renderMarkdown } from './content/render-pool.js';
import { CircleService } from './domain/circles/circle-service.js';
import { systemClock, type Clock } from './domain/clock.js';
import { DOMAIN_EVENT_NAMES, DomainEvents, type DomainEventMap, type DomainEventName } from './domain/events.js';
import { InstanceService } from './domain/instance/instance-service.js';
import { PostSearchSource } from './domain/search/post-search-source.js';
import { SearchService } from './domain/search/search-service.js';
import type { CircleKeepers } from './domain/circles/circle-keepers.js';
import { isSteward } from './domain/members/member.js';
import { HealthService } from './domain/health/health-service.js';
import { createInboxTally } from './domain/health/inbox-tally.js';
import { WellbeingService } from './domain/wellbeing/wellbeing-service.js';
import { CheckInService } from './domain/check-ins/check-in-service.js';
import { MeetingService } from './domain/meetings/meeting-service.js';
import { CircleResourceService } from './domain/circle-resources/circle-resource-service.js';
import { coreExportSections } from './domain/leaving/export-sections.js';
import type { ExportSection } from './domain/leaving/leaving.js';
import { LeavingService } from './domain/leaving/leaving-service.js';
import { MemberService } from './domain/members/member-service.js';
import { PasswordResets } from './domain/members/password-resets.js';
import { FormSubmissions } from './domain/forms/form-submissions.js';
import { argon2Hasher, type PasswordHasher } from './domain/members/passwords.js';
import { ReactionService } from './domain/reactions/reaction-service.js';
import { SupportLineService } from './domain/support/support-line-service.js';
import { ThreadService } from './domain/threads/thread-service.js';
import { Notifier } from './domain/notifications/notifier.js';
import { AvatarService } from './domain/members/avatars.js';
import { AVATAR_CONTENT_TYPE, makeAvatarImage } from './content/avatar-image.js';
import { NotificationService } from './domain/notifications/notification-service.js';
import { PostNotifications } from './domain/notifications/post-notifications.js';
import { MeetingReminders } from './domain/notifications/meeting-reminders.js';
import { ConversationSearchSource } from './domain/search/conversation-search-source.js';
import { ConversationService } from './domain/conversations/conversation-service.js';
import { Mentions } from './domain/mentions/mentions.js';
import type { NotificationChannel } from './domain/notifications/channel.js';
import { MailChannel } from './domain/mail/mail-channel.js';
import { MailService } from './domain/mail/mail-service.js';
import { mailExportFor } from './domain/mail/mail-export.js';
import { UnsubscribeTokens } from './domain/mail/unsubscribe-tokens.js';
import { smtpTransport } from './mail/smtp-transport.js';
import { createFederation, type Federation } from './federation/federation.js';
import { createLogger } from './logger.js';
import { packageRoot } from './paths.js';
import type { Database } from './storage/database.js';
import { runDueBackup } from './storage/backup-schedule.js';
import { migrate } from './storage/migrate.js';
import { openDatabase } from './storage/open-database.js';
import { ensureSecret } from './storage/repositories/instance-repository.js';
import { pingDatabase } from './storage/repositories/health-repository.js';
import { PostgresSessionStore } from './storage/session-store.js';
import { PostgresRateLimitStore } from './storage/rate-limit-store.js';
import { pruneRateLimitCounters } from './storage/rate-limit-store.js';
import { pruneInboxSignatures } from './storage/repositories/inbox-replay-repository.js';
import { createWebApp, SESSION_COOKIE } from './web/create-web-app.js';
import { createPageCache, type PageCache } from './web/page-cache.js';
import { createMemberPages } from './web/member-pages.js';
import { createFragmentCache } from './web/fragment-cache.js';
import { visitorLanguageChoice } from './web/i18n.js';
import { DEFAULT_LOCALE } from './i18n/locales.js';
import { msg } from './i18n/message.js';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './web/rate-limits.js';
import { pruneIncoming } from './storage/repositories/outbox-event-repository.js';
import { pruneDeliveryBodies } from './federation/apex-store/delivery-queue.js';
import { asBackgroundWork } from './storage/work-priority.js';

/** Applied incoming activities are remembered this long (a peer re-sending one is not applied twice). */
const APPLIED_INBOX_DAYS = 30;
import type { Services } from './services.js';

export interface HearthOptions {
  config: Config;
  /** An open database; when absent, one is opened from the configuration (and closed by close()). */
  db?: Database;
  clock?: Clock;
  logger?: Logger;
  rateLimits?: RateLimitSettings;
  passwordHasher?: PasswordHasher;
}

export interface Hearth {
  app: Express;
  db: Database;
  services: Services;
  events: DomainEvents;
  logger: Logger;
  federation: Federation;
  /** Writes members' notifications (services call it inside their transactions). */
  notifier: Notifier;
  /** Visitors' page cache; anything that changes content outside a request empties it. */
  pageCache: PageCache;
  /** Where notifications go beyond the page (e-mail when SMTP is configured); worker processes run them on a timer. */
  channels: NotificationChannel[];
  /** Delivery and periodic housekeeping (expired sessions…), unless HEARTH_ROLE=web; the server starts it, tests need not. */
  startBackgroundJobs(): void;
  close(): Promise<void>;
}

const FIFTEEN_MINUTES = 15 * 60_000;
const ONE_MINUTE = 60_000;
const TEN_MINUTES = 10 * ONE_MINUTE;
const VERSION = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
/**
 * The longest a visitors' page is kept: a backstop only. Changes reach every
 * process's cache at once through events and NOTIFY; this bounds what changes
 * no event names (another server's actor renaming itself).
 */
const PAGE_CACHE_TTL_MS = 30_000;
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;
/** Rendered posts shared by readers who see them alike (members' thread pages). */
const FRAGMENT_CACHE_BYTES = 16 * 1024 * 1024;
const MEMBER_PAGES_BYTES = 16 * 1024 * 1024;

/** The NOTIFY channel on which processes sharing a database tell each other what changed. */
const CHANGES_CHANNEL = 'hearth_changes';
/** Federation's inboxes: their traffic changes visible pages only through domain events. */
const INBOX_PATHS = /^\/(?:(?:c|u)\/[^/]+\/|actor\/)?inbox$/;
/** The pages a member's copy may be kept of: a circle's threads and a thread (their routes offer them, fragment-page.ts). */
const KEPT_MEMBER_PAGES = /^\/c\/[^/]+(?:\/t\/\d+)?\/?$/;

interface ChangeNotice {
  from: string;
  /** null: everything. */
  keys: string[] | null;
}

function readChangeNotice(payload: string): ChangeNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { from, keys } = value as Record<string, unknown>;
  if (typeof from !== 'string') return undefined;
  if (keys === null) return { from, keys: null };
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return undefined;
  return { from, keys: keys as string[] };
}

/** Which visitors' pages an event changes: their keys, everything, or nothing visible (undefined). */
function changedPages<K extends DomainEventName>(name: K, event: DomainEventMap[K]): string[] | 'everything' | undefined {
  const e = event as Partial<{ circleId: number | null; threadId: number }>;
  switch (name) {
    case 'moderation.report_forwarded':
      return undefined;
    case 'member.left':
      return 'everything';
    default: {
      const keys: string[] = [];
      if (typeof e.circleId === 'number') keys.push(`circle:${e.circleId}`);
      if (typeof e.threadId === 'number') keys.push(`thread:${e.threadId}`);
      return keys.length > 0 ? keys : 'everything';
    }
  }
}

/** Resolves when `work` does, rejects when it takes longer than `ms`. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The composition root: opens storage, builds services and the web app, wires events. */
export async function createHearth(options: HearthOptions): Promise<Hearth> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const ownsDb = !options.db;
  const db = options.db ?? (await openDatabase(config));
  if (ownsDb) {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  }

  // The parts of a member's export ("Take a copy of everything"). Other modules
  // add their own sections here (e.g. moderation: reports and votes).
  const wellbeing = new WellbeingService(db, clock);
  const exportSections: ExportSection[] = [
    ...coreExportSections(db),
    ...moderationExportSections(db),
    { name: 'wellbeing', title: msg('accounts.export.section.wellbeing'), collect: (id) => wellbeing.exportFor(id) },
    { name: 'mail', title: msg('accounts.export.section.mail'), collect: (id) => mailExportFor(db, id) },
  ];

  const events = new DomainEvents((error, name) => logger.error({ err: error, event: name }, 'event handler failed'));
  const hasher = options.passwordHasher ?? argon2Hasher();
  // Who decides joining, and whether stewards open circles, are the members' choices (issue 12).
  const members = new MemberService(db, hasher, clock, appendInstanceLogEntry, instanceJoiningRules);
  const circles = new CircleService(db, { stewardsMayOpen: stewardsMayOpenCircles, log: appendInstanceLogEntry });
  // The one way anything tells a member something (issue 10): services call it inside their transactions.
  const notifier = new Notifier(clock, memberBlocks);
  const checkIns = new CheckInService(db, clock, notifier, memberBlocks);
  exportSections.push({ name: 'checkIns', title: 'Check-ins you sent, received and asked for', collect: (id) => checkIns.exportFor(id) });
  const moderation = createModeration({ db, clock, events, notifier });
  // @mentions: members by handle here; people elsewhere through federation's WebFinger, handed over below.
  const mentions = new Mentions({ db, find: findMentions, localHost: config.publicUrl.host, memberUrl: (handle) => new URL(`/u/${handle}`, config.publicUrl).href });
  const threads = new ThreadService(db, circles, renderMarkdown, events, clock, moderation.safety, mentions);
  // Private conversations: on this instance only; blocks (moderation's) end them both ways.
  const conversations = new ConversationService({ db, render: renderMarkdown, clock, notifier, blocks: (id) => moderation.safety.relationsOf(id) });
  exportSections.push({ name: 'conversations', title: 'Your conversations, and what you wrote in them', collect: (id) => conversations.exportFor(id) });
  // Posting in a circle joins it (its members vote and form appeal panels).
  const joinOnPost = async (e: { circleId: number | null; authorId: number | null }) => {
    if (e.circleId !== null && e.authorId !== null) {
      const author = await members.findById(e.authorId);
      if (author) await moderation.safety.joined(author, e.circleId);
    }
  };
  events.on('thread.started', joinOnPost);
  events.on('post.replied', joinOnPost);
  // A circle is kept (meetings, pinned resources) by its moderators and the stewards.
  const keepers: CircleKeepers = async (member, circle) =>
    !!member && member.status === 'active' && (isSteward(member) || (await moderation.governance.moderates(member, circle.id)));
  // Incoming activities accepted and refused, counted from the inboxes' answers (Health page, /metrics).
  const inboxTally = createInboxTally();
  const meetings = new MeetingService(db, circles, renderMarkdown, events, clock, keepers);
  const passwords = new PasswordResets(db, hasher, clock, appendInstanceLogEntry);
  // E-mail (issue 10, item 8): only when the stewards configured SMTP; otherwise no mail and no mail settings.
  const instanceService = new InstanceService(db, members);
  const instanceName = async () => (await instanceService.get())?.name ?? 'Hearth';
  const instanceLanguage = async () => (await instanceService.get())?.language ?? DEFAULT_LOCALE;
  const mailSetup = config.mail
    ? await (async (mailConfig) => {
        const transport = smtpTransport(mailConfig.smtpUrl, mailConfig.from);
        const tokens = new UnsubscribeTokens(await ensureSecret(db, 'mail-unsubscribe', () => randomBytes(32).toString('base64url')));
        const shared = { db, clock, transport, publicUrl: config.publicUrl, tokens, instanceName, instanceLanguage };
        return {
          transport,
          service: new MailService({ ...shared, passwords, onError: (err, what) => logger.warn({ err }, `sending the ${what} failed`) }),
          channel: new MailChannel(shared),
        };
      })(config.mail)
    : undefined;
  const channels: NotificationChannel[] = mailSetup ? [mailSetup.channel] : [];
  const base = {
    health: new HealthService({ db, inbox: inboxTally, version: VERSION, backupDir: config.backups?.dir, mailConfigured: mailSetup !== undefined }),
    members,
    avatars: new AvatarService(db, makeAvatarImage, AVATAR_CONTENT_TYPE),
    circles,
    instance: instanceService,
    threads,
    mentions,
    reactions: new ReactionService(db, threads, events, (memberId, circleId, authorId) => moderation.safety.reactionRefusal(memberId, circleId, authorId)),
    support: new SupportLineService(db),
    forms: new FormSubmissions(db, clock),
    passwords,
    mail: mailSetup?.service,
    moderation,
    wellbeing,
    notifications: new NotificationService(db, clock),
    meetings,
    meetingReminders: new MeetingReminders(db, notifier, clock, meetings),
    checkIns,
    circleResources: new CircleResourceService(db, circles, keepers),
    conversations,
    // Search's sources: posts in circles, and private conversations (only for the people in them).
    search: new SearchService(db, [new PostSearchSource(db, memberBlocks), new ConversationSearchSource(db, memberBlocks)]),
    leaving: new LeavingService({
      db,
      hasher,
      clock,
      events,
      sections: exportSections,
      onError: (err, handle) => logger.error({ err, member: handle }, 'account deletion failed; it stays pending and is tried again'),
    }),
  };

  // Changes reach the other processes sharing the database through NOTIFY (see page-cache.ts).
  const processId = randomUUID();
  const pageCache = createPageCache({
    sessionCookie: SESSION_COOKIE,
    ttlMs: PAGE_CACHE_TTL_MS,
    maxBytes: PAGE_CACHE_BYTES,
    quietPaths: INBOX_PATHS,
    // A visitor's page is in their chosen or browser's language ('' : the instance's).
    variant: visitorLanguageChoice,
    publish: (keys) => {
      // A change that names nothing may be the instance's settings: read them again.
      if (!keys) base.instance.forget();
      db.notify(CHANGES_CHANNEL, JSON.stringify({ from: processId, keys: keys ? [...keys] : null } satisfies ChangeNotice)).catch((err: unknown) =>
        logger.warn({ err }, 'telling other processes of a change failed; their pages catch up within the cache lifetime'),
      );
    },
  });
  // Pieces of members' pages follow the same changes (the page cache's clock).
  const fragments = createFragmentCache({ maxBytes: FRAGMENT_CACHE_BYTES, ttlMs: PAGE_CACHE_TTL_MS, clock: pageCache.clock });
  for (const name of DOMAIN_EVENT_NAMES) {
    events.on(name, (event) => {
      const keys = changedPages(name, event);
      if (keys) pageCache.changed(keys === 'everything' ? undefined : keys);
    });
  }
  // Moderation's timers (actions lapsing, votes closing, terms ending) change pages outside any request and name nothing.
  const settleDue = moderation.settleDue.bind(moderation);
  moderation.settleDue = async () => {
    const settled = await settleDue();
    if (settled > 0) pageCache.changed();
    return settled;
  };
  const heard = (payload: string) => {
    const notice = readChangeNotice(payload);
    if (!notice || notice.from === processId) return;
    if (!notice.keys) base.instance.forget();
    pageCache.invalidate(notice.keys ?? undefined);
  };
  // Notifications missed while the listening connection was down: start afresh.
  const missed = () => {
    base.instance.forget();
    pageCache.invalidate();
  };
  const stopListening = await db.listen(CHANGES_CHANNEL, heard, missed);

  // Notifications about posts and reactions: durable handlers, run by the outbox worker before federation's.
  const postNotifications = new PostNotifications(db, notifier, clock);
  postNotifications.subscribe(events);
  mentions.onMentioned((tx, added) => postNotifications.mentioned(tx, added.postId, added.memberIds));
  const federation = createFederation({ db, config, services: base, events, clock, logger, version: VERSION, postReceived: (tx, postId) => postNotifications.received(tx, postId), likeReceived: (tx, postId, remoteActorId) => postNotifications.likedFromElsewhere(tx, postId, remoteActorId) });
  base.leaving.sendFarewellsWith(federation.farewell);
  mentions.resolveRemoteWith(federation.remoteMentions);
  const services: Services = { ...base, followed: federation.followed };
  const sessionStore = new PostgresSessionStore(db);
  const sessionSecret = config.sessionSecret ?? (await ensureSecret(db, 'session', () => randomBytes(48).toString('base64url')));
  // A member's own thread and circle pages, kept briefly for their next visit (member-pages.ts).
  const memberPages = createMemberPages({
    paths: KEPT_MEMBER_PAGES,
    sessionCookie: SESSION_COOKIE,
    sessionSecret,
    stamps: sessionStore,
    clock: pageCache.clock,
    ttlMs: PAGE_CACHE_TTL_MS,
    maxBytes: MEMBER_PAGES_BYTES,
    // The pages' "3 hours ago" words are counted on the same clock.
    now: () => clock.now().getTime(),
  });
  const app = createWebApp({
    services,
    fragments,
    memberPages,
    counters: (name, windowMs) => new PostgresRateLimitStore(db, name, windowMs),
    sessionStore,
    sessionSecret,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    metrics: { inbox: inboxTally, token: config.metricsToken },
    rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
    logger,
    viewCache: !config.development,
    pageCache,
    media: {
      secret: await ensureSecret(db, 'media-proxy', () => randomBytes(32).toString('base64url')),
      fetcher: new GuardedMediaFetcher(db, clock, config.federation),
    },
    beforePages: federation.routes,
    // A short limit of its own: /healthz answers 503 quickly when the database does not answer.
    ping: () => withTimeout(pingDatabase(db), config.database.healthTimeoutMs),
  });

  federation.attach(app);

  const timers: NodeJS.Timeout[] = [];
  let backupRun: Promise<void> | undefined;
  let channelRun: Promise<unknown> | undefined;
  let federationStarted: Promise<void> | undefined;
  /** Housekeeping timers and the federation workers (see startBackgroundJobs). */
  const startJobs = () => {
    const prune = () =>
      Promise.all([
        sessionStore.prune(),
        base.forms.prune(),
        pruneRateLimitCounters(db),
        pruneIncoming(db, APPLIED_INBOX_DAYS),
        pruneInboxSignatures(db),
        pruneDeliveryBodies(db),
        base.notifications.prune(),
      ]).catch((err: unknown) =>
        logger.warn({ err }, 'pruning sessions, form tokens, rate-limit counters, applied incoming activities, seen inbox signatures, sent activities or old read notifications failed'),
      );
    timers.push(setInterval(prune, FIFTEEN_MINUTES).unref());
    const settle = () => moderation.settleDue().catch((err: unknown) => logger.warn({ err }, 'settling moderation timers failed'));
    timers.push(setInterval(settle, ONE_MINUTE).unref());
    void settle();
    // Reminders a day before meetings members said they'd come to (once per date).
    const remind = () => base.meetingReminders.remindDue().catch((err: unknown) => logger.warn({ err }, 'meeting reminders failed'));
    timers.push(setInterval(remind, ONE_MINUTE).unref());
    // Account deletions left pending (a crash, a failure) and spent signing keys.
    const leave = () => base.leaving.carryOutPending().catch((err: unknown) => logger.warn({ err }, 'pending account deletions failed'));
    void leave();
    timers.push(setInterval(leave, ONE_MINUTE).unref());
    // Notifications beyond the page (e-mail): what is due, and retries of what failed.
    const deliverChannels = () => {
      channelRun ??= Promise.all(
        channels.map((c) => c.deliverDue().catch((err: unknown) => logger.warn({ err, channel: c.name }, 'passing on notifications failed; tried again in a minute'))),
      ).finally(() => (channelRun = undefined));
    };
    if (channels.length > 0) {
      void deliverChannels();
      timers.push(setInterval(deliverChannels, ONE_MINUTE).unref());
    }
    // Delivery, outbox and inbox workers, woken by this process and, through NOTIFY, by every other one.
    federationStarted = federation.start().catch((err: unknown) =>
      logger.error({ err }, 'listening for work queued by other processes failed; the workers still poll for it'),
    );
    // Scheduled backups (BACKUP_DIR): also the way to back up the embedded database while the server holds it.
    const backups = config.backups;
    if (backups) {
      const backup = async () => {
        if (backupRun) return;
        backupRun = runDueBackup(db, backups).then(
          (made) => {
            if (made) logger.info({ file: made.file, rows: made.rows, bytes: made.bytes }, 'backup written');
          },
          (err: unknown) => logger.error({ err }, 'scheduled backup failed'),
        );
        await backupRun;
        backupRun = undefined;
      };
      void backup();
      timers.push(setInterval(() => void backup(), Math.min(TEN_MINUTES, backups.intervalMs)).unref());
    }
  };

  return {
    app,
    db,
    services,
    events,
    logger,
    pageCache,
    federation,
    notifier,
    channels,
    startBackgroundJobs() {
      // A web process only serves requests; workers (or a process doing both) do the rest.
      if (config.role === 'web') return;
      // Timers started here carry the mark: on the embedded database, requests' statements go first.
      asBackgroundWork(startJobs);
    },
    async close() {
      for (const t of timers) clearInterval(t);
      await backupRun;
      await base.leaving.idle();
      await channelRun;
      await mailSetup?.service.idle();
      mailSetup?.transport.close();
      await federationStarted;
      await federation.stop();
      await stopListening();
      if (ownsDb) await db.close();
    },
  };
}
