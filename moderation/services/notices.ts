/**
 * Telling members what moderation and governance did that concerns them
 * (issue 10), through the Notifier passed into `createModeration`, inside
 * the transaction of the change.
 */
import type { NewNotification } from '../../src/domain/notifications/notification.js';
import type { Queryable } from '../../src/storage/database.js';
import { findCircleById } from '../../src/storage/repositories/circle-repository.js';
import { activeMemberIds, circleMemberIds } from '../storage/roles-store.js';

/** What moderation needs of the Notifier (src/domain/notifications/notifier.ts). */
export interface NotifierPort {
  notify(tx: Queryable, n: NewNotification): Promise<number | null>;
  notifyAll(tx: Queryable, list: readonly NewNotification[]): Promise<number[]>;
}

/** Tells nobody: for moderation built without a notifier (some tests). */
export const silentNotifier: NotifierPort = {
  notify: async () => null,
  notifyAll: async () => [],
};

/** The circle's name and where its public log is (the instance's log when circleId is null). */
export async function circlePlace(q: Queryable, circleId: number | null): Promise<{ name: string | null; slug: string | null; log: string }> {
  if (circleId === null) return { name: null, slug: null, log: '/moderation/log' };
  const circle = await findCircleById(q, circleId);
  return circle ? { name: circle.name, slug: circle.slug, log: `/c/${circle.slug}/log` } : { name: null, slug: null, log: '/moderation/log' };
}

/** The circle's name for a notification's wording, when it has one. */
export function circleDetails(place: { name: string | null }): Record<string, string> {
  return place.name ? { circle: place.name } : {};
}

/** A link to one entry of a moderation log. */
export function logEntryLink(place: { log: string }, entryId: number): string {
  return `${place.log}#log-${entryId}`;
}

/** Tells everyone who belongs to the circle (or, for the instance, every active member). */
export async function tellCircle(n: NotifierPort, tx: Queryable, circleId: number | null, base: Omit<NewNotification, 'memberId'>): Promise<void> {
  const ids = circleId !== null ? await circleMemberIds(tx, circleId) : await activeMemberIds(tx);
  await n.notifyAll(
    tx,
    ids.map((memberId) => ({ ...base, memberId })),
  );
}
