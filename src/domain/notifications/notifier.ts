import type { Queryable } from '../../storage/database.js';
import { insertNotification } from '../../storage/repositories/notification-repository.js';
import type { Clock } from '../clock.js';
import type { NewNotification } from './notification.js';

/**
 * The one way anything tells a member something (issue 10). Services call
 * `notify` inside the transaction of the change that caused it, so a
 * notification is never lost when the process stops right after the change.
 * The notifier decides whether and when it is shown (watching levels, blocks,
 * muted words, breaks and quiet hours); channels (the page, e-mail) read the rows.
 */
export class Notifier {
  constructor(private readonly clock: Clock) {}

  /** Writes the notification unless the member's choices say otherwise; resolves to its id, or null when nothing was written. */
  async notify(tx: Queryable, n: NewNotification): Promise<number | null> {
    if (n.actorMemberId !== undefined && n.actorMemberId === n.memberId) return null; // nobody is told of what they did themselves
    return insertNotification(tx, n, this.clock.now());
  }
}
