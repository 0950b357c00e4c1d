import type { Database } from '../../storage/database.js';
import { findCircleById } from '../../storage/repositories/circle-repository.js';
import * as repo from '../../storage/repositories/meeting-repository.js';
import { openerOrSteward, type CircleKeepers } from '../circles/circle-keepers.js';
import type { CircleService } from '../circles/circle-service.js';
import type { Circle } from '../circles/circle.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError, type FieldErrors } from '../errors.js';
import type { DomainEvents } from '../events.js';
import type { Member } from '../members/member.js';
import { optionalText, requiredText } from '../text-rules.js';
import { resolveTimeZone } from '../time-zones.js';
import { MEETING_LIMITS as L, type Meeting, type MeetingInput, type UpcomingMeeting } from './meeting.js';
import { RECURRENCES, endsBy, firstStart, upcomingOccurrences, type Recurrence, type Schedule } from './recurrence.js';
import { compareCivilDates, formatCivilDate, formatCivilTime, localAt, parseCivilDate, parseCivilTime } from './zoned-time.js';
import { parseUrl } from '../urls.js';
import { msg } from '../../i18n/message.js';

/** Turns the circle's markdown into safe HTML (markdown-it + DOMPurify, injected). */
export type RenderMarkdown = (source: string) => Promise<string>;

const DAY_MS = 86_400_000;
/** Feeds keep meetings that ended up to this long ago, so calendars do not lose them at once. */
const FEED_KEEPS_DAYS = 31;
const NOT_HERE = msg('together.meeting.not_here');
const WAS_CANCELLED = msg('together.meeting.was_cancelled');

/**
 * A circle's meetings: the people who keep the circle (see CircleKeepers)
 * add, change and cancel them; whoever may see the circle sees them. Times are
 * kept as the circle wrote them, in the meeting's own time zone.
 */
export class MeetingService {
  constructor(
    private readonly db: Database,
    private readonly circles: CircleService,
    private readonly render: RenderMarkdown,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly keepers: CircleKeepers = openerOrSteward,
  ) {}

  /** May this viewer add, change and cancel this circle's meetings? */
  canManage(viewer: Member | undefined, circle: Circle): Promise<boolean> {
    return this.keepers(viewer, circle);
  }

  /** The circle's meetings that are still to come (or going on), soonest first. */
  async upcomingIn(circle: Circle, limit = 50): Promise<UpcomingMeeting[]> {
    const now = this.clock.now();
    const meetings = await repo.listCurrentMeetings(this.db, circle.id, now);
    return soonestFirst(meetings.map((meeting) => ({ meeting, circle, next: upcomingOccurrences(meeting, now) })), limit);
  }

  /** Upcoming meetings of every circle this viewer may see, soonest first. */
  async upcoming(viewer: Member | undefined, limit = 100): Promise<UpcomingMeeting[]> {
    const now = this.clock.now();
    const circles = new Map((await this.circles.list(viewer)).map((c) => [c.id, c as Circle]));
    const viewerId = viewer && viewer.status === 'active' ? viewer.id : null;
    const meetings = await repo.listCurrentMeetingsEverywhere(this.db, { since: now, viewerId, limit: 1000 });
    const withCircles = meetings
      .filter((m) => circles.has(m.circleId))
      .map((meeting) => ({ meeting, circle: circles.get(meeting.circleId)!, next: upcomingOccurrences(meeting, now) }));
    return soonestFirst(withCircles, limit);
  }

  /** One meeting of a circle this viewer may see (a cancelled one too: its page says so). */
  async get(slug: string, id: number, viewer: Member | undefined): Promise<UpcomingMeeting> {
    const circle = await this.circles.get(slug, viewer);
    const meeting = await repo.findMeeting(this.db, id);
    if (!meeting || meeting.circleId !== circle.id) throw new NotFoundError(NOT_HERE);
    return { meeting, circle, next: meeting.cancelledAt ? [] : upcomingOccurrences(meeting, this.clock.now()) };
  }

  /** A meeting the actor may change: not cancelled, in a circle they keep. */
  async forChanging(actor: Member | undefined, slug: string, id: number): Promise<{ meeting: Meeting; circle: Circle }> {
    const { meeting, circle } = await this.get(slug, id, requireMember(actor));
    await this.requireKeeper(actor, circle);
    if (meeting.cancelledAt) throw new NotFoundError(WAS_CANCELLED);
    return { meeting, circle };
  }

  async schedule(actor: Member | undefined, slug: string, input: MeetingInput): Promise<Meeting> {
    const member = requireMember(actor);
    const circle = await this.circles.get(slug, member);
    await this.requireKeeper(member, circle);
    const record = await this.check(input);
    const at = this.clock.now();
    const id = await this.db.transaction(async (tx) => {
      const made = await repo.insertMeeting(tx, circle.id, member.id, record, at);
      await this.events.record(tx, 'meeting.scheduled', { meetingId: made, circleId: circle.id });
      return made;
    });
    await this.events.emit('meeting.scheduled', { meetingId: id, circleId: circle.id });
    return (await repo.findMeeting(this.db, id))!;
  }

  async change(actor: Member | undefined, slug: string, id: number, input: MeetingInput): Promise<Meeting> {
    const { circle, meeting } = await this.forChanging(actor, slug, id);
    const record = await this.check(input, meeting);
    const changed = await this.db.transaction(async (tx) => {
      const done = await repo.updateMeeting(tx, id, record, this.clock.now());
      if (done) await this.events.record(tx, 'meeting.changed', { meetingId: id, circleId: circle.id });
      return done;
    });
    if (!changed) throw new NotFoundError(WAS_CANCELLED);
    await this.events.emit('meeting.changed', { meetingId: id, circleId: circle.id });
    return (await repo.findMeeting(this.db, id))!;
  }

  async cancel(actor: Member | undefined, slug: string, id: number): Promise<Circle> {
    const { circle } = await this.forChanging(actor, slug, id);
    const cancelled = await this.db.transaction(async (tx) => {
      const done = await repo.cancelMeeting(tx, id, this.clock.now());
      if (done) await this.events.record(tx, 'meeting.cancelled', { meetingId: id, circleId: circle.id });
      return done;
    });
    if (!cancelled) {
      throw new NotFoundError(WAS_CANCELLED);
    }
    await this.events.emit('meeting.cancelled', { meetingId: id, circleId: circle.id });
    return circle;
  }

  /** A meeting of a public circle, as other servers may see it; members-only circles' meetings are not found. */
  async publicMeeting(id: number, slug?: string): Promise<UpcomingMeeting> {
    const meeting = await repo.findMeeting(this.db, id);
    const circle = meeting ? await findCircleById(this.db, meeting.circleId) : undefined;
    if (!meeting || !circle || circle.visibility !== 'public' || (slug !== undefined && circle.slug !== slug)) throw new NotFoundError(NOT_HERE);
    return { meeting, circle, next: meeting.cancelledAt ? [] : upcomingOccurrences(meeting, this.clock.now()) };
  }

  /** The meetings a circle's calendar feed carries: current ones and those that ended in the last month. */
  async feedOf(slug: string, viewer: Member | undefined): Promise<{ circle: Circle; meetings: UpcomingMeeting[] }> {
    const circle = await this.circles.get(slug, viewer);
    const meetings = await repo.listCurrentMeetings(this.db, circle.id, this.feedSince());
    return { circle, meetings: meetings.map((meeting) => ({ meeting, circle, next: [] })) };
  }

  /** The meetings of every public circle, for the instance's calendar feed. */
  async publicFeed(): Promise<UpcomingMeeting[]> {
    const circles = new Map((await this.circles.list(undefined)).map((c) => [c.id, c as Circle]));
    const meetings = await repo.listCurrentMeetingsEverywhere(this.db, { since: this.feedSince(), viewerId: null, limit: 1000 });
    return meetings.filter((m) => circles.has(m.circleId)).map((meeting) => ({ meeting, circle: circles.get(meeting.circleId)!, next: [] }));
  }

  private feedSince(): Date {
    return new Date(this.clock.now().getTime() - FEED_KEEPS_DAYS * DAY_MS);
  }

  private async requireKeeper(actor: Member | undefined, circle: Circle): Promise<void> {
    if (!(await this.keepers(actor, circle))) {
      throw new ForbiddenError(msg('together.meeting.only_keepers'));
    }
  }

  /**
   * Checks the form; every problem is reported next to its field. A repeating
   * meeting that keeps its first date may keep one from long ago.
   */
  private async check(input: MeetingInput, before?: Meeting): Promise<repo.MeetingRecord> {
    const e: FieldErrors = {};
    const now = this.clock.now();
    const title = requiredText(e, 'title', input.title, msg('together.label.title'), L.title);
    const descriptionSource = optionalText(e, 'description', input.description, msg('together.label.description'), L.description);
    const place = optionalText(e, 'place', input.place, msg('together.label.place'), L.place);
    const link = optionalText(e, 'link', input.link, msg('together.label.link'), L.link);
    const contact = optionalText(e, 'contact', input.contact, msg('together.label.contact'), L.contact);
    if (link && !e.link && !isMeetingLink(link)) e.link = msg('together.problem.link');
    if (!place && !link && !e.place && !e.link) e.place = msg('together.problem.where');

    // A zone from the list, or a city typed in ("Berlin", "New York").
    const found = resolveTimeZone(input.timeZone ?? '');
    const zone = found.ok ? found.zone : undefined;
    if (!(input.timeZone ?? '').trim()) e.timeZone = msg('together.problem.zone');
    else if (!found.ok) e.timeZone = found.problem;

    const date = parseCivilDate(input.startDate ?? '');
    if (!(input.startDate ?? '').trim()) e.startDate = msg('together.problem.date_needed');
    else if (!date) e.startDate = msg('together.problem.date_unknown');
    const time = parseCivilTime(input.startTime ?? '');
    if (!(input.startTime ?? '').trim()) e.startTime = msg('together.problem.time_needed');
    else if (!time) e.startTime = msg('together.problem.time_shape');

    const durationText = (input.duration ?? '').trim();
    let durationMinutes: number = L.defaultDuration;
    if (durationText !== '') {
      durationMinutes = /^\d{1,4}$/.test(durationText) ? Number(durationText) : NaN;
      if (!(durationMinutes >= L.minDuration && durationMinutes <= L.maxDuration)) {
        e.duration = msg('together.problem.duration', { min: L.minDuration, max: L.maxDuration, standard: L.defaultDuration });
      }
    }

    const recurrence = ((input.recurrence ?? '').trim() || 'none') as Recurrence;
    if (!RECURRENCES.includes(recurrence)) e.recurrence = msg('together.problem.recurrence');
    const untilText = (input.repeatUntil ?? '').trim();
    const until = untilText && recurrence !== 'none' ? parseCivilDate(untilText) : undefined;
    if (untilText && recurrence !== 'none' && !until) e.repeatUntil = msg('together.problem.until_unknown');

    let record: repo.MeetingRecord | undefined;
    if (zone && date && time && !e.duration && !e.recurrence && !e.repeatUntil) {
      const schedule: Schedule = {
        startDate: formatCivilDate(date),
        startTime: formatCivilTime(time),
        timeZone: zone,
        durationMinutes,
        recurrence,
        repeatUntil: until ? formatCivilDate(until) : null,
      };
      const start = firstStart(schedule);
      const today = localAt(now, zone);
      if (start.getTime() > now.getTime() + L.maxDaysAhead * DAY_MS) {
        e.startDate = msg('together.problem.too_far');
      } else if (recurrence === 'none' && start.getTime() + durationMinutes * 60_000 <= now.getTime()) {
        e.startDate = msg('together.problem.passed');
      } else if (start.getTime() < now.getTime() - L.maxDaysBack * DAY_MS && before?.startDate !== schedule.startDate) {
        e.startDate = msg('together.problem.too_early');
      }
      if (until && compareCivilDates(until, date) < 0) e.repeatUntil = msg('together.problem.until_before');
      else if (until && compareCivilDates(until, today) < 0) e.repeatUntil = msg('together.problem.until_passed');
      else if (until && firstStartOf(until, schedule) > now.getTime() + L.maxUntilDaysAhead * DAY_MS) {
        e.repeatUntil = msg('together.problem.until_far');
      }
      record = {
        title,
        descriptionSource,
        descriptionHtml: '',
        ...schedule,
        place,
        link: link || null,
        contact,
        firstStartsAt: start,
        endsBy: endsBy(schedule),
      };
    }
    if (Object.keys(e).length > 0 || !record) throw new ValidationError(e);
    record.descriptionHtml = descriptionSource ? await this.render(descriptionSource) : '';
    return record;
  }
}

function firstStartOf(date: { year: number; month: number; day: number }, schedule: Schedule): number {
  return firstStart({ ...schedule, startDate: formatCivilDate(date), recurrence: 'none' }).getTime();
}

/** An https web address people can follow: no other schemes, no passwords, no spaces. */
export function isMeetingLink(text: string): boolean {
  if (/\s/.test(text)) return false;
  const url = parseUrl(text);
  return !!url && url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
}

function soonestFirst(list: UpcomingMeeting[], limit: number): UpcomingMeeting[] {
  return list
    .filter((u) => u.next.length > 0)
    .sort((a, b) => a.next[0]!.start.getTime() - b.next[0]!.start.getTime() || a.meeting.id - b.meeting.id)
    .slice(0, limit);
}

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError();
  if (actor.status !== 'active') throw new ForbiddenError(msg('together.meeting.account_inactive'));
  return actor;
}
