import type { Queryable } from '../storage/database.js';
import { recordOutgoing } from '../storage/repositories/outbox-event-repository.js';

/**
 * Domain events. Two kinds of subscriber:
 * - `on`: in-process handlers run by `emit` after the service's transaction
 *   commits (page cache, joining a circle on posting). These may be lost if
 *   the process dies between the commit and the emit.
 * - `onDurable`: the federating handlers. A service records a federating
 *   event with `record(tx, …)` inside the transaction that makes the change
 *   (a row in `outbox_events`, the transactional outbox); federation's outbox
 *   worker later calls `dispatch`, which runs these handlers, retrying on
 *   failure. `emit` of such an event only nudges that worker: the member's
 *   request never waits for federation.
 */
/** What happened to which post; `authorId` is null for posts from other servers. */
export interface PostEvent {
  threadId: number;
  postId: number;
  /** The local circle, or null for a thread of a circle followed elsewhere. */
  circleId: number | null;
  authorId: number | null;
  /** True when the post came from another server. */
  remote?: boolean;
  /** The post it answers, when the author named one (a reply from another server's inReplyTo). */
  replyToPostId?: number;
}

export interface ReactionEvent {
  postId: number;
  threadId: number;
  circleId: number;
  kind: string;
  memberId: number;
}

/** A reaction that came from another server (a Like, or its Undo). */
export interface RemoteReactionEvent {
  postId: number;
  threadId: number;
  circleId: number | null;
}

/** A remote account blocked from (or let back into) a circle. */
export interface RemoteBlockEvent {
  circleId: number;
  remoteActorId: number;
  blocked: boolean;
}

export interface ReportEvent {
  reportId: number;
}

/** A circle's meeting was scheduled, changed or cancelled. */
export interface MeetingEvent {
  meetingId: number;
  circleId: number;
}

/** A member's account deletion was carried out (the right to leave). */
export interface MemberLeftEvent {
  handle: string;
  postsRemoved: boolean;
}

export interface DomainEventMap {
  'thread.started': PostEvent;
  'post.replied': PostEvent;
  'post.edited': PostEvent;
  'post.deleted': PostEvent;
  'reaction.given': ReactionEvent;
  'reaction.taken_back': ReactionEvent;
  /** A Like from another server was counted or taken back: the post's page changes, nothing federates. */
  'reaction.from_elsewhere': RemoteReactionEvent;
  /** Moderators hid (or removed) a post; it disappears for followers elsewhere. */
  'moderation.post_hidden': PostEvent;
  /** A hidden post came back, or a held post was let through. */
  'moderation.post_restored': PostEvent;
  'moderation.remote_blocked': RemoteBlockEvent;
  /** A member asked for a report to be passed on to the other server. */
  'moderation.report_forwarded': ReportEvent;
  'meeting.scheduled': MeetingEvent;
  'meeting.changed': MeetingEvent;
  'meeting.cancelled': MeetingEvent;
  'member.left': MemberLeftEvent;
}

export type DomainEventName = keyof DomainEventMap;
/**
 * Every event, and whether other servers must hear about it: federating
 * events are recorded in the transaction of the change (`record`) and
 * delivered by the outbox worker. `member.left` is not: its farewells are
 * queued inside the deletion's own transaction. The Record type makes adding
 * an event without listing it here a compile error.
 */
const FEDERATING: Record<DomainEventName, boolean> = {
  'thread.started': true,
  'post.replied': true,
  'post.edited': true,
  'post.deleted': true,
  'reaction.given': true,
  'reaction.taken_back': true,
  'reaction.from_elsewhere': false,
  'moderation.post_hidden': true,
  'moderation.post_restored': true,
  'moderation.remote_blocked': true,
  'moderation.report_forwarded': true,
  'meeting.scheduled': true,
  'meeting.changed': true,
  'meeting.cancelled': true,
  'member.left': false,
};
export const DOMAIN_EVENT_NAMES = Object.keys(FEDERATING) as DomainEventName[];
export function isFederating(name: string): name is DomainEventName {
  return Object.hasOwn(FEDERATING, name) && FEDERATING[name as DomainEventName];
}
type Handler<K extends DomainEventName> = (event: DomainEventMap[K]) => void | Promise<void>;

export class DomainEvents {
  private readonly handlers = new Map<DomainEventName, Array<Handler<DomainEventName>>>();

  constructor(private readonly onHandlerError: (error: unknown, name: DomainEventName) => void = () => undefined) {}

  private readonly durable = new Map<DomainEventName, Array<Handler<DomainEventName>>>();
  private readonly recordedListeners: Array<() => void> = [];

  /** An in-process handler, run after the commit; what it does may be lost in a crash. */
  on<K extends DomainEventName>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<DomainEventName>);
    this.handlers.set(name, list);
  }

  /** A federating handler, run by the outbox worker (`dispatch`) at least once per recorded event; it throws to be retried. */
  onDurable<K extends DomainEventName>(name: K, handler: Handler<K>): void {
    const list = this.durable.get(name) ?? [];
    list.push(handler as Handler<DomainEventName>);
    this.durable.set(name, list);
  }

  /** Told (synchronously) when a federating event was emitted after its commit: the outbox worker looks now. */
  onRecorded(listener: () => void): void {
    this.recordedListeners.push(listener);
  }

  /** Inside the service's transaction: records a federating event in the outbox (nothing for other events). */
  async record<K extends DomainEventName>(tx: Queryable, name: K, event: DomainEventMap[K]): Promise<void> {
    if (FEDERATING[name]) await recordOutgoing(tx, name, event);
  }

  /** The outbox worker's call: runs the federating handlers; a failure is thrown, so the event is tried again. */
  async dispatch(name: DomainEventName, event: unknown): Promise<void> {
    for (const handler of this.durable.get(name) ?? []) await handler(event as DomainEventMap[DomainEventName]);
  }

  /**
   * After the commit: nudges the outbox worker for a federating event (it
   * was recorded with `record`), then calls every in-process handler; a failing handler is reported and never reaches the
   * member whose action caused the event (their change is already saved).
   */
  async emit<K extends DomainEventName>(name: K, event: DomainEventMap[K]): Promise<void> {
    if (FEDERATING[name]) for (const listener of this.recordedListeners) listener();
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await handler(event);
      } catch (error) {
        this.onHandlerError(error, name);
      }
    }
  }
}
