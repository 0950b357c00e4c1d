import type { Database } from '../../storage/database.js';
import { findCircleById } from '../../storage/repositories/circle-repository.js';
import { findMeeting } from '../../storage/repositories/meeting-repository.js';
import { attendanceToRemind, isAttending, markReminded, setAttending } from '../../storage/repositories/watch-repository.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotSignedInError } from '../errors.js';
import type { MeetingService } from '../meetings/meeting-service.js';
import type { Meeting } from '../meetings/meeting.js';
import { upcomingOccurrences } from '../meetings/recurrence.js';
import type { Member } from '../members/member.js';
import type { Notifier } from './notifier.js';
import { msg } from '../../i18n/message.js';

/** How long before a date a member who said they'd come is reminded (once per date). */
export const REMIND_HOURS_BEFORE = 24;

/**
 * "I'll come" on a meeting's page, and the reminder a day before each date
 * (a housekeeping timer calls `remindDue` every minute; several processes may:
 * each reminder is claimed once).
 */
export class MeetingReminders {
  constructor(
    private readonly db: Database,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly meetings: MeetingService,
  ) {}

  async attend(actor: Member | undefined, slug: string, meetingId: number, coming: boolean): Promise<{ circleSlug: string; meetingId: number }> {
    if (!actor) throw new NotSignedInError();
    if (actor.status !== 'active') throw new ForbiddenError(msg('together.account.inactive'));
    const found = await this.meetings.get(slug, meetingId, actor);
    if (coming && found.meeting.cancelledAt) throw new ConflictError(msg('together.meeting.is_cancelled'));
    await setAttending(this.db, found.meeting.id, actor.id, coming, this.clock.now());
    return { circleSlug: found.circle.slug, meetingId: found.meeting.id };
  }

  attending(member: Member | undefined, meetingId: number): Promise<boolean> {
    return member ? isAttending(this.db, meetingId, member.id) : Promise.resolve(false);
  }

  /** Reminds everyone whose meeting's next date starts within REMIND_HOURS_BEFORE; returns how many were told. */
  async remindDue(): Promise<number> {
    const now = this.clock.now();
    const soon = now.getTime() + REMIND_HOURS_BEFORE * 3_600_000;
    const meetings = new Map<number, { meeting: Meeting; slug: string; start: Date } | null>();
    let told = 0;
    for (const row of await attendanceToRemind(this.db)) {
      if (!meetings.has(row.meetingId)) {
        const meeting = await findMeeting(this.db, row.meetingId);
        const next = meeting ? upcomingOccurrences(meeting, now, { limit: 2 }).find((o) => o.start > now) : undefined;
        const circle = meeting && (await findCircleById(this.db, meeting.circleId));
        meetings.set(row.meetingId, meeting && next && circle ? { meeting, slug: circle.slug, start: next.start } : null);
      }
      const due = meetings.get(row.meetingId);
      if (!due || due.start.getTime() > soon) continue;
      if (row.remindedFor && row.remindedFor.getTime() === due.start.getTime()) continue;
      const sent = await this.db.transaction(async (tx) => {
        if (!(await markReminded(tx, row.meetingId, row.memberId, due.start))) return false;
        await this.notifier.notify(tx, {
          memberId: row.memberId,
          kind: 'meeting.reminder',
          circleId: due.meeting.circleId,
          link: `/c/${due.slug}/meetings/${due.meeting.id}`,
          details: { title: due.meeting.title, startsAt: due.start.toISOString() },
        });
        return true;
      });
      if (sent) told += 1;
    }
    return told;
  }
}
