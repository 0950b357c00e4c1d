import Handlebars from 'handlebars';
import type { UpcomingMeeting } from '../../domain/meetings/meeting.js';
import { firstStart } from '../../domain/meetings/recurrence.js';
import { isoInZone } from '../../domain/meetings/zoned-time.js';
import { describeRule, occurrenceView } from '../../domain/meetings/meeting-words.js';
import type { ActorIris } from '../actor-iris.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { translate } from '../../i18n/translate.js';
import { AS_PUBLIC, HEARTH_CONTEXT } from '../vocabulary.js';

/** A meeting's IRI: the same URL as its page. */
export function meetingIri(origin: string, slug: string, meetingId: number): string {
  return `${origin}/c/${slug}/meetings/${meetingId}`;
}

const esc = (s: string) => Handlebars.escapeExpression(s);

/**
 * A public circle's meeting as an ActivityStreams Event, attributed to the
 * circle (the circle holds the meeting, whoever of its keepers wrote it, and
 * so the circle can send its edits). `startTime`/`endTime` are the next
 * meeting still to come (the first one once all are over), with the offset of
 * the meeting's zone at that moment; a repeating meeting says how it repeats
 * at the top of `content`, since ActivityStreams has no term for it.
 */
export function serializeEvent(u: UpcomingMeeting, iris: ActorIris, origin: string, locale: Locale = DEFAULT_LOCALE): Record<string, unknown> {
  const { meeting, circle } = u;
  const id = meetingIri(origin, circle.slug, meeting.id);
  const circleIri = iris.circle(circle.slug);
  const next = u.next[0];
  const start = next?.start ?? firstStart(meeting);
  const end = next?.end ?? new Date(start.getTime() + meeting.durationMinutes * 60_000);
  // In the instance's language: the words Hearth itself writes for other servers.
  const when = occurrenceView({ start, end }, meeting.timeZone, undefined, locale);
  const lines = [`<p><strong>${esc(describeRule(meeting, locale))}</strong>: ${esc(when.day)}, ${esc(when.hours)} (${esc(when.zone)})</p>`];
  if (meeting.place) lines.push(`<p>${esc(translate(locale, 'together.meeting.where'))}: ${esc(meeting.place)}</p>`);
  if (meeting.link) lines.push(`<p>${esc(translate(locale, 'together.meeting.link'))}: <a href="${esc(meeting.link)}" rel="nofollow noopener">${esc(meeting.link)}</a></p>`);
  if (meeting.contact) lines.push(`<p>${esc(translate(locale, 'together.meeting.contact'))}: ${esc(meeting.contact)}</p>`);
  const event: Record<string, unknown> = {
    '@context': HEARTH_CONTEXT,
    id,
    type: 'Event',
    name: meeting.title,
    content: `${lines.join('')}${meeting.descriptionHtml}`,
    mediaType: 'text/html',
    source: { content: meeting.descriptionSource, mediaType: 'text/markdown' },
    startTime: isoInZone(start, meeting.timeZone),
    endTime: isoInZone(end, meeting.timeZone),
    duration: `PT${meeting.durationMinutes}M`,
    url: id,
    attributedTo: circleIri,
    audience: circleIri,
    to: [AS_PUBLIC],
    cc: [`${circleIri}/followers`],
    published: meeting.createdAt.toISOString(),
  };
  if (meeting.place) event.location = { type: 'Place', name: meeting.place };
  if (meeting.sequence > 0) event.updated = meeting.updatedAt.toISOString();
  return event;
}

/** What stands where a cancelled meeting was. */
export function serializeEventTombstone(u: UpcomingMeeting, origin: string): Record<string, unknown> {
  return {
    '@context': HEARTH_CONTEXT,
    id: meetingIri(origin, u.circle.slug, u.meeting.id),
    type: 'Tombstone',
    formerType: 'Event',
    deleted: (u.meeting.cancelledAt ?? new Date()).toISOString(),
  };
}
