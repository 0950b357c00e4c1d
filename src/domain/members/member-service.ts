import { isLocale, type Locale } from '../../i18n/locales.js';
import { msg } from '../../i18n/message.js';
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../storage/database.js';
import { findInvite, insertInvite, listInvites, useInvite, type Invite } from '../../storage/repositories/invite-repository.js';
import * as repo from '../../storage/repositories/member-repository.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../errors.js';
import { handleProblem, normalizeHandle } from '../handles.js';
import type { RegistrationMode } from '../instance/instance.js';
import { LIMITS } from '../limits.js';
import { optionalText } from '../text-rules.js';
import { resolveTimeZone } from '../time-zones.js';
import { isSteward, WHO_MAY_MESSAGE, type Member, type MemberRole, type MemberStatus } from './member.js';
import type { PasswordHasher } from './passwords.js';
import type { AccountLog } from './password-resets.js';

export interface NewAccount {
  handle: string;
  password: string;
  email?: string | undefined;
  displayName?: string | undefined;
}

interface CheckedAccount {
  handle: string;
  password: string;
  email: string | null;
  displayName: string;
}

export type LoginResult =
  | { ok: true; member: Member }
  | { ok: false; reason: 'wrong_password' | 'pending' | 'suspended' };

/** The member's settings page, every section of it. */
export interface SettingsInput {
  displayName?: string;
  pronouns?: string;
  bio?: string;
  email?: string;
  cwDisplay?: string;
  mutedWords?: string;
  profileListed: boolean;
  federatePosts: boolean;
  /** Other servers may suggest this member (off until chosen). */
  discoverable: boolean;
  /** Other servers may search this member's public posts (off until chosen). */
  indexable: boolean;
  /** An IANA zone or a city from the list; empty for the instance's zone. */
  timeZone?: string;
  /** Who may start a conversation with me; absent leaves it as it is. */
  whoMayMessage?: string | undefined;
  /** The language I read Hearth in; empty: my browser's, else the instance's; absent leaves it as it is. */
  language?: string | undefined;
}

/**
 * Who may decide requests to join and make invite links: the instance's
 * members choose it by proposal (a welcome team; invites by any member).
 * Without it, stewards alone do both.
 */
export interface JoiningRules {
  /** How the member may decide join requests ('steward', 'welcome team'), or null. */
  decidesJoins(q: Queryable, member: Member): Promise<'steward' | 'welcome team' | null>;
  mayInvite(q: Queryable, member: Member): Promise<boolean>;
}

const stewardsOnly: JoiningRules = {
  decidesJoins: async (_q, member) => (isSteward(member) ? 'steward' : null),
  mayInvite: async (_q, member) => isSteward(member),
};

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INVITE_DAYS = { default: 14, max: 90 };
export const MUTED_WORDS = { max: 100, length: 60 };

export class MemberService {
  /** Verified against when a handle does not exist, so timing does not reveal which handles do. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Database,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    /** The instance's public log, where decisions on joining are recorded (without the applicant's handle). */
    private readonly log?: AccountLog,
    private readonly joining: JoiningRules = stewardsOnly,
  ) {}

  /** Checks a new account's fields, recording problems in `errors`. */
  checkAccount(input: NewAccount, errors: FieldErrors): CheckedAccount {
    const handle = normalizeHandle(input.handle ?? '');
    const handleIssue = handleProblem(handle, 'handle');
    if (handleIssue) errors.handle = handleIssue;
    const password = input.password ?? '';
    if (password.length < LIMITS.password.min) {
      errors.password = msg('accounts.error.password_short', { min: LIMITS.password.min });
    } else if (password.length > LIMITS.password.max) {
      errors.password = msg('accounts.error.password_long', { max: LIMITS.password.max });
    }
    const email = optionalText(errors, 'email', input.email, msg('accounts.label.email'), LIMITS.email);
    if (email !== '' && !EMAIL_PATTERN.test(email)) errors.email = msg('accounts.error.email_optional');
    const displayName = optionalText(errors, 'displayName', input.displayName, msg('accounts.label.display_name'), LIMITS.displayName);
    return { handle, password, email: email === '' ? null : email, displayName };
  }

  /** Hashes the password (slow by design: do it before opening a transaction) and inserts. */
  async insertChecked(
    q: Queryable,
    account: CheckedAccount,
    state: { role: MemberRole; status: MemberStatus },
    passwordHash?: string,
  ): Promise<Member> {
    const hash = passwordHash ?? (await this.hasher.hash(account.password));
    return repo.insertMember(q, {
      handle: account.handle,
      displayName: account.displayName,
      email: account.email,
      passwordHash: hash,
      ...state,
    });
  }

  hash(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /** Someone joins through the registration form, under the instance's registration mode. */
  async register(input: NewAccount & { inviteCode?: string | undefined }, mode: RegistrationMode): Promise<Member> {
    const errors: FieldErrors = {};
    const account = this.checkAccount(input, errors);
    const inviteCode = (input.inviteCode ?? '').trim();
    if (mode === 'invite' && inviteCode === '') {
      errors.invite = msg('accounts.error.invite_needed');
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const hash = await this.hasher.hash(account.password);
    const status: MemberStatus = mode === 'approval' ? 'pending' : 'active';
    return this.db.transaction(async (tx) => {
      const member = await this.insertChecked(tx, account, { role: 'member', status }, hash);
      if (mode === 'invite' && !(await useInvite(tx, inviteCode, member.id, this.clock.now()))) {
        throw new ValidationError({ invite: msg('accounts.error.invite_gone') });
      }
      return member;
    });
  }

  /** Creates an account directly (command line): no registration mode applies. */
  async create(input: NewAccount, role: MemberRole): Promise<Member> {
    const errors: FieldErrors = {};
    const account = this.checkAccount(input, errors);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const hash = await this.hasher.hash(account.password);
    return this.db.transaction((tx) => this.insertChecked(tx, account, { role, status: 'active' }, hash));
  }

  async authenticate(rawHandle: string, password: string): Promise<LoginResult> {
    const found = await repo.findCredentials(this.db, normalizeHandle(rawHandle));
    if (!found) {
      this.dummyHash ??= this.hasher.hash('not a real password, only for timing');
      await this.hasher.verify(await this.dummyHash, password);
      return { ok: false, reason: 'wrong_password' };
    }
    if (!(await this.hasher.verify(found.passwordHash, password))) return { ok: false, reason: 'wrong_password' };
    if (found.member.status === 'pending') return { ok: false, reason: 'pending' };
    if (found.member.status === 'suspended') return { ok: false, reason: 'suspended' };
    return { ok: true, member: found.member };
  }

  findById(id: number): Promise<Member | undefined> {
    return repo.findMemberById(this.db, id);
  }

  async getByHandle(rawHandle: string): Promise<Member> {
    const member = await repo.findMemberByHandle(this.db, normalizeHandle(rawHandle));
    if (!member || member.status !== 'active') throw new NotFoundError(msg('accounts.error.no_member'));
    return member;
  }

  async listPending(actor: Member): Promise<Member[]> {
    await this.requireJoinDecider(actor);
    return repo.listMembersByStatus(this.db, 'pending');
  }

  /** Whether this member may decide requests to join (a steward, or the welcome team when the instance chose one). */
  async decidesJoins(actor: Member | undefined): Promise<boolean> {
    return !!actor && actor.status === 'active' && (await this.joining.decidesJoins(this.db, actor)) !== null;
  }

  /** Whether this member may make invite links (stewards; any member when the instance chose so). */
  async mayInvite(actor: Member | undefined): Promise<boolean> {
    return !!actor && actor.status === 'active' && (await this.joining.mayInvite(this.db, actor));
  }

  /** A steward, or someone of the welcome team, welcomes (approve) or declines someone waiting to join. */
  async decide(actor: Member, memberId: number, decision: 'approve' | 'decline'): Promise<Member> {
    const as = await this.requireJoinDecider(actor);
    return this.db.transaction(async (tx) => {
      const member = await repo.findMemberById(tx, memberId);
      if (!member || member.status !== 'pending') throw new NotFoundError(msg('accounts.error.join_handled'));
      const who = as === 'steward' ? 'A steward' : 'Someone of the welcome team';
      // Who decided, and what, is public; who asked is not.
      await this.log?.(tx, {
        at: this.clock.now(),
        event: decision === 'approve' ? 'join_welcomed' : 'join_declined',
        summary: decision === 'approve' ? `${who} welcomed someone who asked to join.` : `${who} declined a request to join.`,
        moderators: [actor.handle],
        subject: null,
      });
      if (decision === 'approve') return (await repo.setMemberStatus(tx, memberId, 'active'))!;
      // Declined: nothing of theirs is kept, and the handle becomes free again.
      await repo.deleteDeclinedMember(tx, memberId, member.handle);
      return member;
    });
  }

  async createInvite(actor: Member, input: { note?: string; days?: number }): Promise<Invite> {
    if (!(await this.mayInvite(actor))) throw new ForbiddenError(msg('accounts.error.invite_stewards'));
    const errors: FieldErrors = {};
    const note = optionalText(errors, 'note', input.note, msg('accounts.label.note'), 200);
    const days = input.days ?? INVITE_DAYS.default;
    if (!Number.isInteger(days) || days < 1 || days > INVITE_DAYS.max) {
      errors.days = msg('accounts.error.invite_days', { max: INVITE_DAYS.max });
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const now = this.clock.now();
    return insertInvite(this.db, {
      code: randomBytes(18).toString('base64url'),
      createdBy: actor.id,
      note,
      createdAt: now,
      expiresAt: new Date(now.getTime() + days * 86_400_000),
    });
  }

  /** Stewards see every invite link; other members their own. */
  async listInvites(actor: Member): Promise<Invite[]> {
    if (isSteward(actor)) return listInvites(this.db);
    if (!(await this.mayInvite(actor))) throw new ForbiddenError(msg('accounts.error.invite_stewards'));
    return (await listInvites(this.db)).filter((i) => i.createdBy === actor.id);
  }

  async isInviteUsable(code: string): Promise<boolean> {
    const invite = await findInvite(this.db, code);
    return !!invite && invite.usedAt === null && invite.expiresAt > this.clock.now();
  }

  /**
   * Everything on the member's settings page, checked together and saved
   * together in one transaction: their profile, what they see, their privacy
   * choices and their time zone. Any problem saves nothing and names every
   * field that needs another look.
   */
  async updateSettings(actor: Member, input: SettingsInput): Promise<Member> {
    const errors: FieldErrors = {};
    const displayName = optionalText(errors, 'displayName', input.displayName, msg('accounts.label.display_name'), LIMITS.displayName);
    const pronouns = optionalText(errors, 'pronouns', input.pronouns, msg('accounts.label.pronouns'), LIMITS.pronouns);
    const bio = optionalText(errors, 'bio', input.bio, msg('accounts.label.bio'), LIMITS.bio);
    const email = optionalText(errors, 'email', input.email, msg('accounts.label.email'), LIMITS.email);
    if (email !== '' && !EMAIL_PATTERN.test(email)) errors.email = msg('accounts.error.email');

    const cwDisplay = input.cwDisplay === 'unfolded' ? 'unfolded' : input.cwDisplay === 'folded' ? 'folded' : undefined;
    if (!cwDisplay) errors.cwDisplay = msg('accounts.error.cw_display');
    const words = [...new Set((input.mutedWords ?? '').split(/\r?\n/).map((w) => w.trim().toLowerCase()).filter(Boolean))];
    if (words.length > MUTED_WORDS.max) errors.mutedWords = msg('accounts.error.muted_count', { max: MUTED_WORDS.max, count: words.length });
    const long = words.find((w) => w.length > MUTED_WORDS.length);
    if (long) errors.mutedWords = msg('accounts.error.muted_length', { max: MUTED_WORDS.length, start: long.slice(0, 20) });

    // Empty: the member has not chosen, and sees the instance's zone.
    let timeZone: string | null = null;
    if ((input.timeZone ?? '').trim() !== '') {
      const found = resolveTimeZone(input.timeZone ?? '');
      if (found.ok) timeZone = found.zone;
      else errors.timeZone = found.problem;
    }
    let language: Locale | null = actor.language;
    if (input.language !== undefined) {
      if (input.language === '') language = null;
      else if (isLocale(input.language)) language = input.language;
      else errors.language = msg('common.language.unknown');
    }
    const who = input.whoMayMessage === undefined || input.whoMayMessage === '' ? undefined : WHO_MAY_MESSAGE.find((w) => w === input.whoMayMessage);
    if (input.whoMayMessage && !who) errors.whoMayMessage = msg('accounts.error.who_may_message');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    return this.db.transaction(async (tx) => {
      const saved = await repo.updateSettings(tx, actor.id, {
        displayName,
        pronouns,
        bio,
        email: email === '' ? null : email,
        cwDisplay: cwDisplay!,
        mutedWords: words,
        profileListed: input.profileListed,
        federatePosts: input.federatePosts,
        discoverable: input.discoverable,
        indexable: input.indexable,
        timeZone,
        language,
      });
      return who ? repo.setWhoMayMessage(tx, actor.id, who) : saved;
    });
  }

  /**
   * The language someone reads Hearth in, from the switch: saved for a member
   * (so it follows them to every device); a visitor's is kept by the browser.
   */
  async chooseLanguage(actor: Member | undefined, language: string): Promise<Locale> {
    if (!isLocale(language)) throw new ValidationError({ language: msg('common.language.unknown') });
    if (actor) await repo.setMemberLanguage(this.db, actor.id, language);
    return language;
  }

  /** A profile as this viewer may see it: unlisted profiles only to members. */
  async profileFor(rawHandle: string, viewer: Member | undefined): Promise<Member> {
    const member = await this.getByHandle(rawHandle);
    if (!member.profileListed && !(viewer && viewer.status === 'active')) throw new NotFoundError(msg('accounts.error.no_member'));
    return member;
  }

  private async requireJoinDecider(actor: Member): Promise<'steward' | 'welcome team'> {
    const as = actor.status === 'active' ? await this.joining.decidesJoins(this.db, actor) : null;
    if (!as) throw new ForbiddenError(msg('accounts.error.join_deciders'));
    return as;
  }
}
