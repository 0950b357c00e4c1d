import { randomBytes } from 'node:crypto';
import type { Locale } from '../../i18n/locales.js';
import { msg, type MessageRef } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/mail-repository.js';
import { findMemberByHandle } from '../../storage/repositories/member-repository.js';
import type { Clock } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { normalizeHandle } from '../handles.js';
import { LIMITS } from '../limits.js';
import type { Member } from '../members/member.js';
import { secretHash, type PasswordResets } from '../members/password-resets.js';
import { resetLinkFor } from '../members/reset-link.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notifications/notification.js';
import { isMailCadence, MAIL_KIND_GROUPS, type MailCadence, type MailTransport, type UnsubscribeScope } from './mail.js';
import { passwordResetMail, verificationMail } from './mail-words.js';
import type { UnsubscribeTokens } from './unsubscribe-tokens.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOUR_MS = 3_600_000;
const VERIFY_HOURS = 24;
/** One reset mail per member at most this often, however often someone asks. */
const RESET_MAIL_GAP_MS = 5 * 60_000;

export interface MailDeps {
  db: Database;
  clock: Clock;
  transport: MailTransport;
  publicUrl: URL;
  tokens: UnsubscribeTokens;
  passwords: PasswordResets;
  instanceName: () => Promise<string>;
  /** The instance's language: mail goes out in `member.language ?? instanceLanguage()`. */
  instanceLanguage: () => Promise<Locale>;
  /** Work done after answering (a reset mail) that failed. */
  onError: (error: unknown, what: string) => void;
}

/** A member's mail, as their settings show it. */
export interface MailSettingsView {
  address: string;
  verified: boolean;
  verifiedAt: Date | null;
  /** A verification link was sent for the current address and still works. */
  waitingForVerification: boolean;
  includePrivateText: boolean;
  stoppedAt: Date | null;
  stoppedError: string | null;
  groups: Array<{ title: MessageRef; kinds: Array<{ kind: NotificationKind; label: MessageRef; cadence: MailCadence }> }>;
}

export interface UnsubscribeView {
  what: MessageRef;
  /** A token turning off all mail for the same member (the page offers both). */
  allToken: string;
  isAll: boolean;
}

/** The field name of a kind's choice on the settings form. */
export const mailChoiceField = (kind: NotificationKind): string => `mail_${kind.replace(/\./g, '_')}`;

/**
 * E-mail for members who want it (issue 10, item 8), used only when the
 * stewards configured SMTP: the member's address and its verification, what
 * reaches them and how often, one-click unsubscribe, and "forgot my
 * password". Notifications themselves go out through `MailChannel`.
 */
export class MailService {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly d: MailDeps) {}

  async settingsFor(member: Member): Promise<MailSettingsView> {
    const [s, choices] = await Promise.all([repo.mailSettingsOf(this.d.db, member.id), repo.mailChoicesOf(this.d.db, member.id)]);
    const address = s.address ?? '';
    const verified = address !== '' && s.verifiedAddress !== null && s.verifiedAddress.toLowerCase() === address.toLowerCase();
    const now = this.d.clock.now();
    return {
      address,
      verified,
      verifiedAt: verified ? s.verifiedAt : null,
      waitingForVerification:
        !verified && address !== '' && s.verifyAddress?.toLowerCase() === address.toLowerCase() && (s.verifyExpiresAt?.getTime() ?? 0) > now.getTime(),
      includePrivateText: s.includePrivateText,
      stoppedAt: verified ? s.stoppedAt : null,
      stoppedError: verified ? s.stoppedError : null,
      groups: MAIL_KIND_GROUPS.map((g) => ({
        title: g.title,
        kinds: g.kinds.map((k) => {
          const c = choices.get(k.kind);
          return { ...k, cadence: c && isMailCadence(c) ? c : 'none' };
        }),
      })),
    };
  }

  /** Sets the member's address (the one their profile keeps) and sends a one-time link to check it is theirs. */
  async setAddress(member: Member, raw: string): Promise<void> {
    const address = raw.trim();
    if (address === '') throw new ValidationError({ address: msg('accounts.error.address_needed') });
    if (address.length > LIMITS.email || !EMAIL_PATTERN.test(address)) throw new ValidationError({ address: msg('accounts.error.email') });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.d.clock.now().getTime() + VERIFY_HOURS * HOUR_MS);
    await this.d.db.transaction(async (tx) => {
      await repo.setMemberAddress(tx, member.id, address);
      await repo.startVerification(tx, member.id, address, secretHash(token), expiresAt);
    });
    const url = new URL(`/mail/verify?token=${encodeURIComponent(token)}`, this.d.publicUrl).href;
    try {
      await this.d.transport.send({ to: address, ...verificationMail(await this.d.instanceName(), member.handle, url, member.language ?? (await this.d.instanceLanguage())) });
    } catch (error) {
      this.d.onError(error, 'verification mail');
      throw new ValidationError({ address: msg('accounts.error.mail_not_sent') });
    }
  }

  /** Uses a verification link; false when it is unknown, expired, used, or for an address the member no longer has. */
  async verify(token: string): Promise<boolean> {
    if (token === '' || token.length > 100) return false;
    const hash = secretHash(token);
    return (await this.d.db.transaction((tx) => repo.useVerification(tx, hash, this.d.clock.now()))) !== undefined;
  }

  /** Saves how each kind reaches the member (fields named by `mailChoiceField`; missing means none) and whether private text may go into mail. */
  async saveChoices(member: Member, fields: Record<string, string>, includePrivateText: boolean): Promise<void> {
    const errors: Record<string, MessageRef> = {};
    const choices = NOTIFICATION_KINDS.map((kind) => {
      const value = fields[mailChoiceField(kind)] ?? 'none';
      if (!isMailCadence(value)) errors[mailChoiceField(kind)] = msg('accounts.error.choose_option');
      return { kind, cadence: value === '' ? 'none' : value };
    });
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const now = this.d.clock.now();
    await this.d.db.transaction(async (tx) => {
      await repo.saveMailChoices(tx, member.id, choices, now);
      await repo.setIncludePrivateText(tx, member.id, includePrivateText);
    });
  }

  /** After mail to the address stopped working: try it again. */
  async restart(member: Member): Promise<void> {
    await this.d.db.transaction((tx) => repo.restartMail(tx, member.id));
  }

  /** What an unsubscribe link would turn off, for its confirmation page. */
  describeUnsubscribe(token: string): UnsubscribeView {
    const read = this.d.tokens.read(token);
    if (!read) throw new NotFoundError(msg('accounts.error.unsubscribe_unknown'));
    return { what: scopeWords(read.scope), allToken: this.d.tokens.make(read.memberId, { all: true }), isAll: 'all' in read.scope };
  }

  /** One click: turns off what the link names. Works without logging in (RFC 8058). */
  async unsubscribe(token: string): Promise<MessageRef> {
    const read = this.d.tokens.read(token);
    if (!read) throw new NotFoundError(msg('accounts.error.unsubscribe_unknown'));
    const s = read.scope;
    await repo.turnOffMail(this.d.db, read.memberId, 'kind' in s ? { kind: s.kind } : 'cadence' in s ? { cadence: s.cadence } : {});
    return scopeWords(s);
  }

  /**
   * "Forgot my password": when the handle belongs to a member with a verified
   * address, a one-time link (valid for an hour) is mailed to it. Returns at
   * once and says nothing either way: the answer is the same whether or not
   * the handle exists, and takes the same time.
   */
  requestPasswordReset(rawHandle: string): void {
    const work = this.sendReset(normalizeHandle(rawHandle)).catch((error: unknown) => this.d.onError(error, 'password reset mail'));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves when the mail started after answering has gone (tests, shutting down). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async sendReset(handle: string): Promise<void> {
    if (handle === '') return;
    const member = await findMemberByHandle(this.d.db, handle);
    if (!member || member.status !== 'active') return;
    const recipient = await repo.recipientOf(this.d.db, member.id);
    if (!recipient) return;
    const now = this.d.clock.now();
    if (await repo.resetMailedSince(this.d.db, member.id, new Date(now.getTime() - RESET_MAIL_GAP_MS))) return;
    const issued = await this.d.passwords.issue(member.handle, { kind: 'email' });
    await this.d.transport.send({
      to: recipient.address,
      ...passwordResetMail(await this.d.instanceName(), member.handle, resetLinkFor(this.d.publicUrl, issued.token), member.language ?? (await this.d.instanceLanguage())),
    });
  }
}

/** What an unsubscribe link turns off, as words for the page ("the daily digest"). */
function scopeWords(scope: UnsubscribeScope): MessageRef {
  if ('all' in scope) return msg('accounts.email.what.all');
  if ('cadence' in scope) return msg(`accounts.email.what.${scope.cadence}`);
  const label = MAIL_KIND_GROUPS.flatMap((g) => g.kinds).find((k) => k.kind === scope.kind)?.label ?? msg('accounts.email.what.this_kind');
  return msg('accounts.email.what.kind', { label });
}
