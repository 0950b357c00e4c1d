import type { Locale } from '../../i18n/locales.js';
import type { Text } from '../../i18n/translate.js';
import type { Transaction } from '../../storage/database.js';

/**
 * One part of a member's export ("Take a copy of everything"): a name and a
 * function that gathers what Hearth holds about the member for it. Hearth's
 * own sections are in export-sections.ts; other modules add theirs to the
 * list given to LeavingService in src/app.ts.
 */
export interface ExportSection {
  /** A key of `sections` in the JSON, in camelCase (e.g. "posts", "reports"). */
  name: string;
  /** A heading for the readable copy (a message, put into the member's language); the name is used when absent. */
  title?: Text;
  /** Plain JSON-able data (Dates become ISO strings). */
  collect(memberId: number): Promise<unknown>;
}

export const EXPORT_FORMAT = 'hearth-export';
export const EXPORT_VERSION = 1;

export interface MemberExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  instance: { name: string; url: string };
  handle: string;
  /** The IANA zone the readable copy shows times in: the member's own, or the instance's. Times in the JSON stay in UTC (ISO 8601). */
  timeZone: string;
  /** The language the readable copy is written in: the member's own, or the instance's. */
  language: Locale;
  sections: Record<string, unknown>;
  /** Headings for the readable copy, by section name, in `language`. */
  titles: Record<string, string>;
}

/** What happens to a leaving member's posts. */
export type PostsChoice = 'remove' | 'keep';
export const POSTS_CHOICES: readonly PostsChoice[] = ['remove', 'keep'];

export interface AccountDeletion {
  handle: string;
  /** Null once the member row is gone. */
  memberId: number | null;
  posts: PostsChoice;
  requestedAt: Date;
  /** Null while pending. */
  completedAt: Date | null;
  attempts: number;
  lastError: string | null;
}

/** The member who is leaving, as the farewell to other servers needs them. */
export interface Departure {
  memberId: number;
  handle: string;
  posts: PostsChoice;
}

/**
 * How other servers are told that a member left (implemented by federation;
 * the domain does no networking). `prepare` runs before the deletion's
 * transaction, while everything about the member is still there, and may
 * take its time (looking up inboxes); the step it returns runs inside the
 * transaction (it must use only `tx`), so the deliveries are queued if and
 * only if the deletion is done.
 */
export interface FarewellPort {
  prepare(departure: Departure): Promise<(tx: Transaction) => Promise<void>>;
  /** Housekeeping: forgets what is no longer needed (signing keys once their Deletes are delivered). */
  tidy(): Promise<void>;
}
