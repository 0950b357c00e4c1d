import type { ConversationService } from './domain/conversations/conversation-service.js';
import type { HealthService } from './domain/health/health-service.js';
import type { FormSubmissions } from './domain/forms/form-submissions.js';
import type { WellbeingService } from './domain/wellbeing/wellbeing-service.js';
import type { CheckInService } from './domain/check-ins/check-in-service.js';
import type { Moderation } from '../moderation/index.js';
import type { CircleService } from './domain/circles/circle-service.js';
import type { FollowedCircleService } from './domain/followed/followed-circle-service.js';
import type { InstanceService } from './domain/instance/instance-service.js';
import type { MeetingService } from './domain/meetings/meeting-service.js';
import type { CircleResourceService } from './domain/circle-resources/circle-resource-service.js';
import type { LeavingService } from './domain/leaving/leaving-service.js';
import type { MemberService } from './domain/members/member-service.js';
import type { AvatarService } from './domain/members/avatars.js';
import type { PasswordResets } from './domain/members/password-resets.js';
import type { MailService } from './domain/mail/mail-service.js';
import type { SearchService } from './domain/search/search-service.js';
import type { ReactionService } from './domain/reactions/reaction-service.js';
import type { SupportLineService } from './domain/support/support-line-service.js';
import type { ThreadService } from './domain/threads/thread-service.js';
import type { NotificationService } from './domain/notifications/notification-service.js';
import type { MeetingReminders } from './domain/notifications/meeting-reminders.js';
import type { Mentions } from './domain/mentions/mentions.js';

/** The domain services the web layer calls. */
export interface Services {
  instance: InstanceService;
  members: MemberService;
  /** Changing passwords, recovery codes and one-time reset links. */
  passwords: PasswordResets;
  /** Members' pictures. */
  avatars: AvatarService;
  /** E-mail: members' addresses and choices, unsubscribing, "forgot my password"; undefined when no SMTP is configured. */
  mail: MailService | undefined;
  circles: CircleService;
  threads: ThreadService;
  /** @mentions in posts: who exists, and recording who a post names. */
  mentions: Mentions;
  reactions: ReactionService;
  /** One-time tokens of creation forms (no duplicates from Back and send again). */
  forms: FormSubmissions;
  /** The group's support lines ("someone to talk to"). */
  support: SupportLineService;
  /** Peer-led moderation: reports, actions, appeals, proposals, agreements, blocks. */
  moderation: Moderation;
  /** Circles' meetings (and their calendar feeds). */
  meetings: MeetingService;
  /** What each circle pins ("Resources this circle shares"). */
  circleResources: CircleResourceService;
  /** What helps me, and breaks members set for themselves. */
  wellbeing: WellbeingService;
  /** A member's notifications page, unread count, watching levels and preferences (issue 10). */
  notifications: NotificationService;
  /** "I'll come" to a meeting, and the reminder a day before each date. */
  meetingReminders: MeetingReminders;
  /** Peers checking in on each other (care, not moderation). */
  checkIns: CheckInService;
  /** Circles followed on other servers. */
  followed: FollowedCircleService;
  /** How the instance itself is doing (the Health page, /metrics). */
  health: HealthService;
  /** Private conversations between a few members of this instance. */
  conversations: ConversationService;
  /** The right to leave: a copy of everything, and deleting one's account. */
  leaving: LeavingService;
  /** Full-text search over what the viewer may read (/search). */
  search: SearchService;
}
