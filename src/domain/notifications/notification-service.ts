import { msg, type MessageRef } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/notification-repository.js';
import * as watches from '../../storage/repositories/watch-repository.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError } from '../errors.js';
import type { Member } from '../members/member.js';
import type { NotificationKind, NotificationRow } from './notification.js';
import { DEFAULT_WATCH_LEVEL, isWatchLevel, type WatchLevel } from './watching.js';

/**
 * Kinds a member may turn off, in groups as the settings show them. What
 * moderation did about them, appeals and join answers are always told;
 * new posts are chosen per circle and thread (watching); reactions have their own choice.
 */
export const CHOOSABLE_KINDS: ReadonlyArray<{ field: string; label: MessageRef; kinds: NotificationKind[] }> = [
  { field: 'replies', label: msg('staying.notifications.group.replies'), kinds: ['reply'] },
  { field: 'mentions', label: msg('staying.notifications.group.mentions'), kinds: ['mention'] },
  { field: 'votes', label: msg('staying.notifications.group.votes'), kinds: ['nomination', 'election.opened', 'vote.opened', 'vote.outcome'] },
  { field: 'meetings', label: msg('staying.notifications.group.meetings'), kinds: ['meeting.reminder'] },
];

/** Read notifications are removed this many days after they were read (said on the page). */
export const READ_NOTIFICATIONS_KEPT_DAYS = 60;
export const NOTIFICATIONS_PER_PAGE = 30;

/**
 * A member's notifications page, their unread count, what they watch and
 * what they choose to be told. Writing notifications is the Notifier's job.
 */
export class NotificationService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Unread notifications the member can see now (one indexed query: the navigation's count). */
  unreadCount(memberId: number): Promise<number> {
    return repo.countUnread(this.db, memberId, this.clock.now());
  }

  async page(actor: Member | undefined, page: number): Promise<{ items: NotificationRow[]; page: number; pageCount: number; unread: number }> {
    const member = requireMember(actor);
    const now = this.clock.now();
    const { items, total } = await repo.listNotifications(this.db, member.id, now, page, NOTIFICATIONS_PER_PAGE);
    const pageCount = Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE));
    if (page > pageCount) throw new NotFoundError(msg('staying.notifications.empty_page'));
    return { items, page, pageCount, unread: await repo.countUnread(this.db, member.id, now) };
  }

  /** Opening a notification marks it (and the reactions grouped with it) read; resolves to where it leads. */
  async open(actor: Member | undefined, id: number): Promise<string> {
    const member = requireMember(actor);
    const found = await repo.findNotification(this.db, member.id, id);
    if (!found) throw new NotFoundError(msg('staying.notifications.gone'));
    await repo.setRead(this.db, member.id, found.group, this.clock.now());
    return found.link;
  }

  async setRead(actor: Member | undefined, id: number, read: boolean): Promise<void> {
    const member = requireMember(actor);
    const found = await repo.findNotification(this.db, member.id, id);
    if (!found) throw new NotFoundError(msg('staying.notifications.gone'));
    await repo.setRead(this.db, member.id, found.group, read ? this.clock.now() : null);
  }

  async markAllRead(actor: Member | undefined): Promise<number> {
    return repo.markAllRead(this.db, requireMember(actor).id, this.clock.now());
  }

  /** Removes notifications read more than READ_NOTIFICATIONS_KEPT_DAYS ago (housekeeping). */
  prune(): Promise<number> {
    return repo.pruneRead(this.db, new Date(this.clock.now().getTime() - READ_NOTIFICATIONS_KEPT_DAYS * 86_400_000));
  }

  preferences(actor: Member | undefined): Promise<{ reactions: boolean; kindsOff: string[] }> {
    return repo.findPreferences(this.db, requireMember(actor).id);
  }

  /** Saves what the member chose to be told: reactions ("tell"/"quiet") and each group of kinds (ticked: on). */
  async savePreferences(actor: Member | undefined, input: { reactions: string | undefined; groups: Record<string, boolean> }): Promise<void> {
    const member = requireMember(actor);
    if (input.reactions !== 'tell' && input.reactions !== 'quiet') throw new ValidationError({ reactions: msg('staying.notifications.choose_reactions') });
    const kindsOff = CHOOSABLE_KINDS.filter((g) => !input.groups[g.field]).flatMap((g) => g.kinds);
    await repo.savePreferences(this.db, member.id, { reactions: input.reactions === 'tell', kindsOff }, this.clock.now());
  }

  async threadLevel(actor: Member | undefined, threadId: number): Promise<WatchLevel> {
    if (!actor) return DEFAULT_WATCH_LEVEL;
    return (await watches.threadWatch(this.db, actor.id, threadId)) ?? DEFAULT_WATCH_LEVEL;
  }

  async circleLevel(actor: Member | undefined, circle: { circleId?: number; remoteCircleId?: number }): Promise<WatchLevel> {
    if (!actor) return DEFAULT_WATCH_LEVEL;
    return (await watches.circleWatch(this.db, actor.id, circle)) ?? DEFAULT_WATCH_LEVEL;
  }

  /** The web layer has checked the member may see the thread (it found it for them). */
  async watchThread(actor: Member | undefined, threadId: number, level: string | undefined): Promise<void> {
    const member = requireMember(actor);
    await watches.setThreadWatch(this.db, member.id, threadId, checkLevel(level), this.clock.now());
  }

  /** The web layer has checked the member may see the circle. */
  async watchCircle(actor: Member | undefined, circle: { circleId?: number; remoteCircleId?: number }, level: string | undefined): Promise<void> {
    const member = requireMember(actor);
    await watches.setCircleWatch(this.db, member.id, circle, checkLevel(level), this.clock.now());
  }
}

function checkLevel(level: string | undefined): WatchLevel {
  if (!isWatchLevel(level)) throw new ValidationError({ level: msg('staying.notifications.choose_level') });
  return level;
}

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError();
  if (actor.status !== 'active') throw new ForbiddenError(msg('staying.notifications.account_cannot'));
  return actor;
}
