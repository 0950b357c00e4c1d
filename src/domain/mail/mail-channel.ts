import type { Locale } from '../../i18n/locales.js';
import { msg } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/mail-repository.js';
import type { Clock } from '../clock.js';
import type { NotificationChannel } from '../notifications/channel.js';
import { isNotificationKind } from '../notifications/notification.js';
import { latestDigestTime } from './digest-times.js';
import type { MailTransport, SendingCadence, UnsubscribeScope } from './mail.js';
import { digestMail, mailLine, rightAwayMail, type MailFrame } from './mail-words.js';
import type { UnsubscribeTokens } from './unsubscribe-tokens.js';

const MINUTE_MS = 60_000;
/** Waits after the 1st, 2nd, 3rd and 4th failed try; the 5th failure gives the message up. */
export const MAIL_RETRY_DELAYS_MS = [MINUTE_MS, 10 * MINUTE_MS, 60 * MINUTE_MS, 6 * 60 * MINUTE_MS];
const LEASE_MS = 5 * MINUTE_MS;
const BATCH = 50;
const CANDIDATES = 2_000;

export interface MailChannelDeps {
  db: Database;
  clock: Clock;
  transport: MailTransport;
  publicUrl: URL;
  tokens: UnsubscribeTokens;
  instanceName: () => Promise<string>;
  /** The instance's language, for members who chose none. */
  instanceLanguage: () => Promise<Locale>;
}

/**
 * Notifications by e-mail: the durable mail job. Each run first puts what is
 * due into `mail_deliveries` (right away: one message per notification;
 * digests: everything collected, once the member's digest time has passed),
 * then sends due messages, retrying failures with backoff and giving up
 * visibly after a few tries (the member's settings and the Health page say so).
 * Only notifications already visible are mailed, so breaks and quiet hours
 * (`visible_from`) hold mail back too. Several workers may run it at once.
 */
export class MailChannel implements NotificationChannel {
  readonly name = 'mail';

  constructor(private readonly d: MailChannelDeps) {}

  async deliverDue(): Promise<number> {
    await this.queueDue();
    let sent = 0;
    for (;;) {
      const claimed = await repo.claimDueMail(this.d.db, this.d.clock.now(), LEASE_MS, BATCH);
      for (const delivery of claimed) if (await this.send(delivery)) sent++;
      if (claimed.length < BATCH) return sent;
    }
  }

  /** Puts the notifications that are due into messages (one transaction, under a lock shared by all workers). */
  private async queueDue(): Promise<void> {
    const now = this.d.clock.now();
    await this.d.db.transaction(async (tx) => {
      await repo.lockMailQueue(tx);
      const candidates = await repo.mailCandidates(tx, now, CANDIDATES);
      const digests = new Map<string, repo.MailCandidate[]>();
      for (const c of candidates) {
        if (c.cadence === 'now') {
          await repo.insertMailDelivery(tx, c.memberId, 'now', [c.notificationId], now);
        } else {
          const key = `${c.memberId}|${c.cadence}`;
          digests.set(key, [...(digests.get(key) ?? []), c]);
        }
      }
      for (const group of digests.values()) {
        const first = group[0]!;
        const cadence = first.cadence as 'daily' | 'weekly';
        // Due once the member's digest time passed after at least one of them became visible.
        const slot = latestDigestTime(now, first.timeZone, cadence);
        if (group.some((c) => c.visibleFrom.getTime() <= slot.getTime())) {
          await repo.insertMailDelivery(tx, first.memberId, cadence, group.map((c) => c.notificationId), now);
        }
      }
    });
  }

  private async send(delivery: repo.ClaimedDelivery): Promise<boolean> {
    const now = this.d.clock.now();
    const recipient = await repo.recipientOf(this.d.db, delivery.memberId);
    if (!recipient) {
      await repo.dropMailDelivery(this.d.db, delivery.id, now, 'the address is no longer verified, or mail to it stopped');
      return false;
    }
    const notifications = await repo.notificationsOfDelivery(this.d.db, delivery.id);
    if (notifications.length === 0) {
      await repo.dropMailDelivery(this.d.db, delivery.id, now, 'nothing left to say');
      return false;
    }
    const locale = recipient.language ?? (await this.d.instanceLanguage());
    const lines = notifications.map((n) => mailLine(n, this.d.publicUrl, recipient.includePrivateText, locale));
    const kind = notifications[0]!.kind;
    const scope: UnsubscribeScope =
      delivery.cadence !== 'now' ? { cadence: delivery.cadence as SendingCadence } : isNotificationKind(kind) ? { kind } : { cadence: 'now' };
    const frame = this.frame(await this.d.instanceName(), delivery.memberId, scope, recipient.includePrivateText, locale);
    const body = delivery.cadence === 'now' ? rightAwayMail(lines[0]!, frame) : digestMail(delivery.cadence, lines, frame);
    try {
      await this.d.transport.send({
        to: recipient.address,
        ...body,
        headers: { 'List-Unsubscribe': `<${frame.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const after = this.d.clock.now();
      const delay = MAIL_RETRY_DELAYS_MS[delivery.attempts];
      if (delay === undefined) {
        await this.d.db.transaction(async (tx) => {
          await repo.giveUpMail(tx, delivery.id, after, message);
          await repo.stopMail(tx, delivery.memberId, after, message);
        });
      } else {
        await repo.markMailFailed(this.d.db, delivery.id, new Date(after.getTime() + delay), message);
      }
      return false;
    }
    await repo.markMailSent(this.d.db, delivery.id, this.d.clock.now());
    return true;
  }

  private frame(instanceName: string, memberId: number, scope: UnsubscribeScope, includePrivateText: boolean, locale: Locale): MailFrame {
    const token = this.d.tokens.make(memberId, scope);
    return {
      instanceName,
      settingsUrl: new URL('/settings/mail', this.d.publicUrl).href,
      unsubscribeUrl: new URL(`/mail/unsubscribe?token=${encodeURIComponent(token)}`, this.d.publicUrl).href,
      unsubscribeWhat: 'cadence' in scope && scope.cadence !== 'now' ? msg(`accounts.email.what.${scope.cadence}`) : msg('accounts.email.what.like_this'),
      includePrivateText,
      locale,
    };
  }
}
