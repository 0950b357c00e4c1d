/**
 * A way notifications reach members outside the notifications page (issue 10).
 * Each channel reads the `notifications` rows by itself and remembers what it
 * has passed on: today e-mail (`domain/mail/mail-channel.ts`); Web Push could
 * be another. Worker processes run every channel on the housekeeping timer.
 */
export interface NotificationChannel {
  /** A short name for logs ("mail"). */
  readonly name: string;
  /** Passes on what is due now (and retries what failed); resolves to how many messages went out. */
  deliverDue(): Promise<number>;
}
