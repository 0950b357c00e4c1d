import { createHash, randomBytes, randomInt } from 'node:crypto';
import { msg } from '../../i18n/message.js';
import type { Database, Queryable } from '../../storage/database.js';
import * as accounts from '../../storage/repositories/account-repository.js';
import { findCredentials, findMemberByHandle, updatePasswordHash } from '../../storage/repositories/member-repository.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { normalizeHandle } from '../handles.js';
import { LIMITS } from '../limits.js';
import { isSteward, type Member } from './member.js';
import type { PasswordHasher } from './passwords.js';

/** An entry in the instance's public moderation log (the moderation module writes it). */
export interface AccountLogEntry {
  at: Date;
  event: string;
  summary: string;
  moderators: string[];
  /** Whom it is about; null where the log must not name them. */
  subject: string | null;
}
export type AccountLog = (q: Queryable, entry: AccountLogEntry) => Promise<void>;

/** Who asked for a reset link to be made: a steward, the command line, or the member ("forgot my password", by mail). */
export type ResetChannel = { kind: 'steward'; steward: Member } | { kind: 'command line' } | { kind: 'email' };

export interface IssuedReset {
  member: Member;
  /** The secret for the link; only its hash is stored, so it can be shown once. */
  token: string;
  expiresAt: Date;
}

export const RECOVERY_CODE_COUNT = 10;
export const RESET_LINK_HOURS = 24;
/** A link sent by mail ("forgot my password") works for an hour. */
export const MAILED_RESET_LINK_HOURS = 1;
const HOUR_MS = 3_600_000;
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i

/** SHA-256 is enough for secrets this random (80 bits and more); argon2 is for what people choose. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A recovery code as typed: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(raw: string): string {
  return raw.toLowerCase().replace(/[\s-]/g, '');
}

/** 16 characters from a 31-letter alphabet (about 79 bits), shown as xxxx-xxxx-xxxx-xxxx. */
function newRecoveryCode(): string {
  const letters = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return letters.join('').match(/.{4}/g)!.join('-');
}

const NO_MATCH = msg('accounts.error.code_mismatch');
const LINK_GONE = msg('accounts.error.link_gone');

/**
 * Passwords after an account exists: changing one, recovery codes (a way back
 * in without e-mail), and one-time reset links. A reset link is made through a
 * channel: today a steward (web or command line); a mail channel can later call
 * `issue(handle, { kind: 'email' })` and send `token` in a link the same way.
 * Using a code or a link ends all of the member's sessions.
 */
export class PasswordResets {
  constructor(
    private readonly db: Database,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly log: AccountLog,
  ) {}

  private checkNew(password: string, field = 'password'): void {
    if (password.length < LIMITS.password.min) {
      throw new ValidationError({ [field]: msg('accounts.error.password_short', { min: LIMITS.password.min }) });
    }
    if (password.length > LIMITS.password.max) throw new ValidationError({ [field]: msg('accounts.error.password_long', { max: LIMITS.password.max }) });
  }

  /** The member changes their own password; their other sessions end, this one (keepSid) stays. */
  async changePassword(member: Member, input: { currentPassword: string; password: string }, keepSid: string): Promise<void> {
    const found = await findCredentials(this.db, member.handle);
    if (!found || !(await this.hasher.verify(found.passwordHash, input.currentPassword))) {
      throw new ValidationError({ currentPassword: msg('accounts.error.current_password') });
    }
    this.checkNew(input.password);
    const hash = await this.hasher.hash(input.password);
    await this.db.transaction(async (tx) => {
      await updatePasswordHash(tx, member.id, hash);
      await accounts.endSessionsOf(tx, member.id, keepSid);
    });
  }

  /** A new set of recovery codes, replacing the old set. The codes are shown once: only their hashes are kept. */
  async newRecoveryCodes(member: Member): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction((tx) =>
      accounts.replaceRecoveryCodes(tx, member.id, codes.map((c) => secretHash(normalizeRecoveryCode(c))), this.clock.now()),
    );
    return codes;
  }

  recoveryCodesLeft(member: Member): Promise<number> {
    return accounts.countUnusedRecoveryCodes(this.db, member.id);
  }

  /**
   * Handle + an unused recovery code set a new password. A handle that does not
   * exist and a code that does not match get the same answer (a ValidationError
   * on `code`), so this reveals no more than logging in does.
   */
  async recoverWithCode(input: { handle: string; code: string; password: string }): Promise<Member> {
    this.checkNew(input.password);
    // Hashed first, whatever the handle: the time taken says nothing about which handles exist.
    const hash = await this.hasher.hash(input.password);
    const found = await findCredentials(this.db, normalizeHandle(input.handle));
    const codeHash = secretHash(normalizeRecoveryCode(input.code));
    if (!found) throw new ValidationError({ code: NO_MATCH }, NO_MATCH);
    const member = found.member;
    await this.db.transaction(async (tx) => {
      if (!(await accounts.useRecoveryCode(tx, member.id, codeHash, this.clock.now()))) throw new ValidationError({ code: NO_MATCH }, NO_MATCH);
      await this.setPassword(tx, member.id, hash);
    });
    return member;
  }

  /** A steward makes a one-time reset link for a member (valid 24 hours); the public moderation log says so, without the link. */
  async issueBySteward(steward: Member, handle: string): Promise<IssuedReset> {
    if (!isSteward(steward)) throw new ForbiddenError(msg('accounts.error.stewards_only'));
    return this.issue(handle, { kind: 'steward', steward });
  }

  async issue(rawHandle: string, channel: ResetChannel): Promise<IssuedReset> {
    const handle = normalizeHandle(rawHandle);
    const member = handle === '' ? undefined : await findMemberByHandle(this.db, handle);
    if (!member || member.status === 'pending' || (await accounts.isLeaving(this.db, member.id))) {
      throw new ValidationError({ handle: msg('accounts.error.no_member') }, msg('accounts.error.no_member'));
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (channel.kind === 'email' ? MAILED_RESET_LINK_HOURS : RESET_LINK_HOURS) * HOUR_MS);
    const by = channel.kind === 'steward' ? channel.steward : undefined;
    await this.db.transaction(async (tx) => {
      // Only the newest link works.
      await accounts.retirePasswordResets(tx, member.id, now);
      await accounts.insertPasswordReset(tx, {
        tokenHash: secretHash(token),
        memberId: member.id,
        issuedBy: by?.id ?? null,
        channel: channel.kind,
        createdAt: now,
        expiresAt,
      });
      // A member asking for their own link is nobody else's business: only links others made are logged.
      if (channel.kind === 'email') return;
      await this.log(tx, {
        at: now,
        event: 'password_reset_issued',
        summary: by
          ? `A steward made a one-time password reset link for @${member.handle}, at their request.`
          : `A one-time password reset link for @${member.handle} was made on the server's command line.`,
        moderators: by ? [by.handle] : [],
        subject: member.handle,
      });
    });
    return { member, token, expiresAt };
  }

  /** Whether a reset link can still be used (to show its form, or say it is gone). */
  async resetLinkUsable(token: string): Promise<boolean> {
    if (token === '') return false;
    return (await accounts.findUsablePasswordReset(this.db, secretHash(token), this.clock.now())) !== undefined;
  }

  /** Uses a reset link once: sets the new password and ends all the member's sessions. */
  async resetWithLink(input: { token: string; password: string }): Promise<void> {
    if (!(await this.resetLinkUsable(input.token))) throw new NotFoundError(LINK_GONE);
    this.checkNew(input.password);
    const hash = await this.hasher.hash(input.password);
    await this.db.transaction(async (tx) => {
      const memberId = await accounts.usePasswordReset(tx, secretHash(input.token), this.clock.now());
      if (memberId === undefined) throw new NotFoundError(LINK_GONE);
      await this.setPassword(tx, memberId, hash);
    });
  }

  private async setPassword(tx: Queryable, memberId: number, hash: string): Promise<void> {
    await updatePasswordHash(tx, memberId, hash);
    await accounts.endSessionsOf(tx, memberId);
    await accounts.retirePasswordResets(tx, memberId, this.clock.now());
  }
}
