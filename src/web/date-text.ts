import type { Request, Response } from 'express';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../domain/time-zones.js';
import { localeOf } from './i18n.js';

/**
 * A date as words inside a sentence ("Hearth will be here again from {until}."),
 * in the viewer's zone and the page's language: what `{{dateTime}}` shows,
 * as plain text a catalogue message can hold.
 */
export function dateText(res: Response, at: Date | null | undefined): string {
  if (!at) return '';
  const zone: unknown = res.locals.viewerTimeZone;
  return formatDateTime(at, typeof zone === 'string' ? zone : DEFAULT_TIME_ZONE, localeOf(res));
}

/** The same, for page builders that have only the request (Express keeps its response on it). */
export function dateTextFor(req: Request, at: Date | null | undefined): string {
  return req.res ? dateText(req.res, at) : '';
}
