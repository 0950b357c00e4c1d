/**
 * Domain events, emitted by services after their transaction commits.
 * Federation and moderation subscribe; services never call them directly.
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
}

export interface ReactionEvent {
  postId: number;
  threadId: number;
  circleId: number;
  kind: string;
  memberId: number;
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
/** Every event name; the Record type makes adding an event without listing it here a compile error. */
const ALL_EVENTS: Record<DomainEventName, true> = {
  'thread.started': true,
  'post.replied': true,
  'post.edited': true,
  'post.deleted': true,
  'reaction.given': true,
  'reaction.taken_back': true,
  'moderation.post_hidden': true,
  'moderation.post_restored': true,
  'moderation.remote_blocked': true,
  'moderation.report_forwarded': true,
  'meeting.scheduled': true,
  'meeting.changed': true,
  'meeting.cancelled': true,
  'member.left': true,
};
export const DOMAIN_EVENT_NAMES = Object.keys(ALL_EVENTS) as DomainEventName[];
type Handler<K extends DomainEventName> = (event: DomainEventMap[K]) => void | Promise<void>;

export class DomainEvents {
  private readonly handlers = new Map<DomainEventName, Array<Handler<DomainEventName>>>();

  constructor(private readonly onHandlerError: (error: unknown, name: DomainEventName) => void = () => undefined) {}

  on<K extends DomainEventName>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<DomainEventName>);
    this.handlers.set(name, list);
  }

  /**
   * Calls every handler; a failing handler is reported and never reaches the
   * member whose action caused the event (their change is already saved).
   */
  async emit<K extends DomainEventName>(name: K, event: DomainEventMap[K]): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await handler(event);
      } catch (error) {
        this.onHandlerError(error, name);
      }
    }
  }
}
