import { randomBytes } from 'node:crypto';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { msg } from '../../i18n/message.js';
import { textIn } from '../../i18n/translate.js';
import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/leaving-repository.js';
import { leaveConversationsOnDeletion } from '../../storage/repositories/conversation-repository.js';
import { findCredentials, updatePasswordHash } from '../../storage/repositories/member-repository.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotSignedInError, ValidationError, type FieldErrors } from '../errors.js';
import type { DomainEvents } from '../events.js';
import { normalizeHandle } from '../handles.js';
import type { Member } from '../members/member.js';
import type { PasswordHasher } from '../members/passwords.js';
import { DELETED_THREAD_TITLE } from '../threads/thread.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  POSTS_CHOICES,
  type AccountDeletion,
  type ExportSection,
  type FarewellPort,
  type MemberExport,
} from './leaving.js';

export const LEAVING_MESSAGES = {
  pending: msg('accounts.error.leaving_pending'),
  onlySteward: msg('accounts.error.only_steward'),
} as const;

export interface DeletionRequest {
  handle?: string;
  password?: string;
  posts?: string;
}

/**
 * The right to leave: a member takes a copy of everything Hearth holds about
 * them, and deletes their account. A deletion is recorded as pending at once
 * (their logins end, their password stops working) and carried out by a
 * background step, right away in this process and again by the periodic job
 * if the process stopped half way.
 */
export class LeavingService {
  private farewell: FarewellPort | undefined;
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(
    private readonly o: {
      db: Database;
      hasher: PasswordHasher;
      clock: Clock;
      events: DomainEvents;
      /** The export's sections, in order: Hearth's own and those other modules register. */
      sections: readonly ExportSection[];
      /** Told about a deletion that failed (it stays pending and is tried again). */
      onError?: (error: unknown, handle: string) => void;
    },
  ) {
    const names = new Set<string>();
    for (const s of o.sections) {
      if (names.has(s.name)) throw new Error(`Two export sections are called "${s.name}"`);
      names.add(s.name);
    }
  }

  /** Federation tells other servers; set once at composition (it is built after the services). */
  sendFarewellsWith(port: FarewellPort): void {
    this.farewell = port;
  }

  /** Everything Hearth holds about the member, section by section. */
  async exportFor(actor: Member | undefined, instance: { name: string; url: string; timeZone: string; language?: Locale }): Promise<MemberExport> {
    const member = requireMember(actor);
    if (await repo.findDeletionByMember(this.o.db, member.id)) throw new ConflictError(LEAVING_MESSAGES.pending);
    const sections: Record<string, unknown> = {};
    const titles: Record<string, string> = {};
    const language = member.language ?? instance.language ?? DEFAULT_LOCALE;
    for (const section of this.o.sections) {
      sections[section.name] = (await section.collect(member.id)) ?? null;
      titles[section.name] = section.title === undefined ? section.name : textIn(language, section.title);
    }
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: this.o.clock.now().toISOString(),
      instance: { name: instance.name, url: instance.url },
      handle: member.handle,
      timeZone: member.timeZone ?? instance.timeZone,
      language,
      sections,
      titles,
    };
  }

  /** What the leaving page needs to know before offering anything. */
  async situation(actor: Member | undefined): Promise<{ onlySteward: boolean; pending: boolean }> {
    const member = requireMember(actor);
    const pending = !!(await repo.findDeletionByMember(this.o.db, member.id));
    const onlySteward = member.role === 'steward' && (await repo.otherRemainingStewards(this.o.db, member.id, false)) === 0;
    return { onlySteward, pending };
  }

  /**
   * The member confirmed with their handle and password and chose what
   * happens to their posts. Records the deletion as pending, makes the
   * password useless and ends every login, all at once; then starts the
   * deletion itself in the background.
   */
  async requestDeletion(actor: Member | undefined, input: DeletionRequest): Promise<void> {
    const member = requireMember(actor);
    const errors: FieldErrors = {};
    const posts = POSTS_CHOICES.find((c) => c === input.posts);
    if (!posts) errors.posts = msg('accounts.error.posts_choice');
    const typed = normalizeHandle(input.handle ?? '');
    if (typed === '') errors.handle = msg('accounts.error.type_handle', { handle: member.handle });
    else if (typed !== member.handle) errors.handle = msg('accounts.error.not_your_handle', { handle: member.handle });
    const credentials = await findCredentials(this.o.db, member.handle);
    const passwordOk = !!credentials && (input.password ?? '') !== '' && (await this.o.hasher.verify(credentials.passwordHash, input.password ?? ''));
    if (!passwordOk) errors.password = msg('accounts.error.password_mismatch');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors, msg('accounts.error.nothing_deleted'));

    // A hash of random words, so the old password stops working while the
    // deletion is pending, and a login attempt takes as long as any other.
    const unusable = await this.o.hasher.hash(randomBytes(32).toString('base64url'));
    await this.o.db.transaction(async (tx) => {
      if (member.role === 'steward' && (await repo.otherRemainingStewards(tx, member.id, true)) === 0) {
        throw new ForbiddenError(LEAVING_MESSAGES.onlySteward);
      }
      if (!(await repo.insertDeletion(tx, { handle: member.handle, memberId: member.id, posts: posts!, at: this.o.clock.now() }))) {
        throw new ConflictError(LEAVING_MESSAGES.pending);
      }
      await updatePasswordHash(tx, member.id, unusable);
      await repo.deleteSessionsOf(tx, member.id);
    });
    void this.carryOut(member.handle);
  }

  /** A recorded deletion, pending or done (for the actor's 410 and for tests). */
  deletionOf(handle: string): Promise<AccountDeletion | undefined> {
    return repo.findDeletionByHandle(this.o.db, normalizeHandle(handle));
  }

  /**
   * Carries out a pending deletion; returns true when it was done by this
   * call. Failures are reported and leave it pending for the next run.
   */
  carryOut(handle: string): Promise<boolean> {
    const current = this.running.get(handle);
    if (current) return current;
    const run = this.perform(handle)
      .catch(async (error: unknown) => {
        this.o.onError?.(error, handle);
        await repo.recordDeletionFailure(this.o.db, handle, error instanceof Error ? error.message : String(error)).catch(() => undefined);
        return false;
      })
      .finally(() => this.running.delete(handle));
    this.running.set(handle, run);
    return run;
  }

  /** The periodic job: every pending deletion (after a crash, or one that failed), then the farewell's housekeeping. */
  async carryOutPending(): Promise<number> {
    let done = 0;
    for (const handle of await repo.listPendingDeletions(this.o.db)) {
      if (await this.carryOut(handle)) done++;
    }
    await this.farewell?.tidy();
    return done;
  }

  /** Waits for deletions running in this process (before closing the database). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private async perform(handle: string): Promise<boolean> {
    const pending = await repo.findDeletionByHandle(this.o.db, handle);
    if (!pending || pending.completedAt) return false;
    const memberId = pending.memberId;
    // While the member's posts and follows are still there: what to tell other servers.
    const tellOthers = memberId !== null && this.farewell ? await this.farewell.prepare({ memberId, handle, posts: pending.posts }) : undefined;
    const now = this.o.clock.now();
    const done = await this.o.db.transaction(async (tx) => {
      const locked = await repo.lockPendingDeletion(tx, handle);
      if (!locked) return false; // done meanwhile, or another process is doing it
      if (locked.memberId !== null) {
        const id = locked.memberId;
        if (locked.posts === 'remove') await repo.removePostsOf(tx, id, now, DELETED_THREAD_TITLE);
        else await repo.dropRevisionsOf(tx, id);
        // Conversations: the others see that they left; their words go with "remove", as their posts' do.
        await leaveConversationsOnDeletion(tx, id, now, locked.posts === 'remove');
        await repo.revokeUnusedInvites(tx, id);
        await repo.deleteSessionsOf(tx, id);
        if (tellOthers) await tellOthers(tx);
        await repo.removeMemberRow(tx, id);
      }
      await repo.completeDeletion(tx, handle, now);
      return true;
    });
    if (done) await this.o.events.emit('member.left', { handle, postsRemoved: pending.posts === 'remove' });
    return done;
  }
}

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError(msg('accounts.error.session_ended'));
  return actor;
}
