import type { Circle } from '../circles/circle.js';
import type { Occurrence, Schedule } from './recurrence.js';

/** A circle's gathering: once, or repeating weekly or monthly. */
export interface Meeting extends Schedule {
  id: number;
  circleId: number;
  title: string;
  /** What the circle wrote (markdown) and its sanitised HTML. */
  descriptionSource: string;
  descriptionHtml: string;
  /** Where, in words (may be empty when there is a link). */
  place: string;
  /** An https link to join or read more, when there is one. */
  link: string | null;
  /** Who to ask, in words. */
  contact: string;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
  /** Counts the edits (iCalendar SEQUENCE). */
  sequence: number;
  cancelledAt: Date | null;
}

/** What the form sends: text fields, checked by the service. */
export interface MeetingInput {
  title: string;
  description: string;
  startDate: string;
  startTime: string;
  timeZone: string;
  duration: string;
  recurrence: string;
  repeatUntil: string;
  place: string;
  link: string;
  contact: string;
}

/** A meeting with its circle and its next dates. */
export interface UpcomingMeeting {
  meeting: Meeting;
  circle: Circle;
  next: Occurrence[];
}

export const MEETING_LIMITS = {
  title: 150,
  description: 4000,
  place: 200,
  link: 500,
  contact: 200,
  timeZone: 64,
  minDuration: 5,
  maxDuration: 24 * 60,
  defaultDuration: 90,
  /** How far ahead a first date may be. */
  maxDaysAhead: 731,
  /** How far back a repeating meeting's first date may be. */
  maxDaysBack: 366,
  /** How far ahead a repeating meeting's end date may be. */
  maxUntilDaysAhead: 5 * 366,
} as const;
