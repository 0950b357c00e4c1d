/**
 * Moderators' actions under the two-person rule: taking one, confirming it,
 * putting a serious one to the members, and the timer that lapses or ends
 * actions. Every change is logged publicly in the same transaction.
 */
import { ForbiddenError, HearthError, NotFoundError, ValidationError, type FieldErrors } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import type { PostEvent } from '../../src/domain/events.js';
import { optionalText, requiredText } from '../../src/domain/text-rules.js';
import type { Queryable, Transaction } from '../../src/storage/database.js';
import { findMemberByHandle } from '../../src/storage/repositories/member-repository.js';
import { findPost } from '../../src/storage/repositories/post-repository.js';
import { findThread } from '../../src/storage/repositories/thread-repository.js';
import { SOLO_MUTE_HOURS } from '../policies/defaults.js';
import {
  ACTION_KINDS,
  durationHours,
  involvement,
  isActionKind,
  start,
  startEmergency,
  transition,
  TransitionRefused,
  type ActionEvent,
  type ActionKind,
  type Effect,
} from '../rules/action-rules.js';
import * as actions from '../storage/actions-store.js';
import { findPolicy } from '../storage/agreements-store.js';
import { appendLog } from '../storage/log-store.js';
import { closeReport, findReport, reporterIdsFor } from '../storage/reports-store.js';
import { insertCheckIn } from '../storage/safety-store.js';
import type { ActionDetail, ModerationAction } from '../types.js';
import { isServerAddress } from '../rules/server-address.js';
import { assertModerates, circleById, circleBySlug, handleOf, hoursFrom, requireActive, type ModerationContext } from './context.js';
import { describeAction } from './describe.js';

export interface ActInput {
  kind: string;
  /** The circle (for member actions); posts and threads carry their own. */
  circleSlug?: string | undefined;
  postId?: number | undefined;
  threadId?: number | undefined;
  memberHandle?: string | undefined;
  remoteActorId?: number | undefined;
  host?: string | undefined;
  reportId?: number | undefined;
  agreement?: string | undefined;
  reason?: string | undefined;
  hours?: number | undefined;
  message?: string | undefined;
  contentWarning?: string | undefined;
  slowMinutes?: number | undefined;
  withholdName?: boolean | undefined;
  /** Stewards only, instance level: act now and put it to all members afterwards. */
  emergency?: boolean | undefined;
}


interface Resolved {
  circleId: number | null;
  postId: number | null;
  threadId: number | null;
  memberId: number | null;
  remoteActorId: number | null;
  remoteHost: string | null;
  subjectIds: number[];
  where: string | null;
  subject: string | null;
  detail: ActionDetail;
}

/** Events to emit once the transaction that caused them has committed. */
type Pending = Array<() => Promise<void>>;

export class ActionService {
  constructor(private readonly c: ModerationContext) {}

  /**
   * `afterwards` runs inside the same transaction once the action exists
   * (an emergency act opens its members' vote there).
   */
  async act(actor: Member | undefined, input: ActInput, afterwards?: (tx: Transaction, action: ModerationAction) => Promise<void>): Promise<ModerationAction> {
    const member = requireActive(actor);
    if (!isActionKind(input.kind)) throw new ValidationError({ kind: 'Please choose what to do.' });
    const kind = input.kind;
    const info = ACTION_KINDS[kind];
    const errors: FieldErrors = {};
    const agreement = requiredText(errors, 'agreement', input.agreement, 'The agreement this relies on', 500);
    const reason = requiredText(errors, 'reason', input.reason, 'The reason', 2000);
    let hours: number | null = null;
    try {
      hours = durationHours(kind, input.hours);
    } catch (e) {
      if (e instanceof TransitionRefused) errors.hours = e.message;
      else throw e;
    }
    const detail: ActionDetail = {};
    if (kind === 'check_in') detail.message = requiredText(errors, 'message', input.message, 'The check-in message', 4000);
    if (kind === 'add_content_warning') detail.contentWarning = requiredText(errors, 'contentWarning', input.contentWarning, 'The content warning', 200);
    if (kind === 'slow_thread') {
      const minutes = input.slowMinutes ?? 10;
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) errors.slowMinutes = 'The pause between posts must be between 1 and 1440 minutes.';
      detail.slowSeconds = minutes * 60;
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const at = this.c.clock.now();
    const pending: Pending = [];
    const action = await this.c.db.transaction(async (tx) => {
      const target = await this.resolve(tx, kind, input);
      await assertModerates(tx, member, target.circleId, at);
      const reportersOfCase = await reporterIdsFor(tx, { postId: target.postId, memberId: target.memberId ?? target.subjectIds[0] ?? null });
      let reportId: number | null = null;
      if (input.reportId !== undefined) {
        const report = await findReport(tx, input.reportId, true);
        if (!report || report.circleId !== target.circleId) throw new NotFoundError('That report isn’t in this circle.');
        if (report.reporterId !== null) reportersOfCase.push(report.reporterId);
        reportId = report.id;
      }
      const problem = involvement(member.id, { reporterIds: reportersOfCase, subjectIds: target.subjectIds });
      if (problem) throw new ForbiddenError(problem);

      let begin = start(kind);
      if (input.emergency) {
        try {
          begin = startEmergency(kind);
        } catch (e) {
          if (e instanceof TransitionRefused) throw new ValidationError({ kind: e.message });
          throw e;
        }
      }
      const policy = target.circleId !== null ? await findPolicy(tx, target.circleId) : undefined;
      const confirmHours = policy?.confirmHours ?? 72;
      const needsSecond = info.tier !== 'light' && !input.emergency;
      const created = await actions.insertAction(tx, {
        circleId: target.circleId,
        kind,
        status: begin.status,
        postId: target.postId,
        threadId: target.threadId,
        memberId: target.memberId,
        remoteActorId: target.remoteActorId,
        remoteHost: target.remoteHost,
        reportId,
        agreement,
        reason,
        detail: { ...target.detail, ...detail, ...(input.emergency ? { emergency: true } : {}) },
        withholdName: input.withholdName === true,
        actedBy: member.id,
        createdAt: at,
        confirmBy: needsSecond ? hoursFrom(at, confirmHours) : null,
        effectiveAt: begin.effect === 'apply' ? at : null,
        endsAt: hours !== null ? hoursFrom(at, hours) : null,
      });
      const applied = begin.effect === 'apply' ? await this.effect(tx, created, 'apply', pending) : created;
      await appendLog(tx, {
        circleId: target.circleId,
        at,
        event: input.emergency ? 'emergency' : begin.status === 'awaiting' ? 'proposed' : 'acted',
        summary:
          describeAction(kind, { awaiting: begin.status === 'awaiting', where: target.where, host: target.remoteHost, hours }) +
          (begin.status === 'pending' ? ' It stands only if a second moderator confirms it.' : '') +
          (input.emergency ? ' Done as an emergency by a steward; all members now vote on whether it stands.' : ''),
        agreement,
        reason,
        moderators: [member.handle],
        subject: input.withholdName ? null : target.subject,
        actionId: created.id,
      });
      if (reportId !== null) await closeReport(tx, reportId, { outcome: 'acted', note: '', by: member.id, at });
      if (afterwards) await afterwards(tx, applied);
      return applied;
    });
    await this.flush(pending);
    return action;
  }

  /** A second moderator confirms (or, for a serious action, agrees to) an action. */
  async confirm(actor: Member | undefined, actionId: number): Promise<ModerationAction> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    const pending: Pending = [];
    const result = await this.c.db.transaction(async (tx) => {
      const action = await this.lockAction(tx, actionId);
      await assertModerates(tx, member, action.circleId, at);
      await this.assertUninvolved(tx, member.id, action);
      if (action.confirmBy && action.confirmBy <= at && (action.status === 'pending' || action.status === 'awaiting')) {
        throw new HearthError('conflict', 'The time to confirm this action has passed; it lapses.');
      }
      const step = this.step(action, { type: 'confirm' });
      await actions.updateAction(tx, action.id, {
        status: step.status,
        confirmedBy: member.id,
        ...(step.effect === 'apply' ? { effectiveAt: at } : {}),
      });
      const updated = { ...action, status: step.status, confirmedBy: member.id };
      if (step.effect === 'apply' && action.endsAt) {
        // A serious action's time starts when it takes effect.
        const hours = (action.endsAt.getTime() - action.createdAt.getTime()) / 3_600_000;
        const endsAt = hoursFrom(at, hours);
        await tx.query('UPDATE moderation_actions SET ends_at = $2 WHERE id = $1', [action.id, endsAt]);
        updated.endsAt = endsAt;
      }
      await this.effect(tx, updated, step.effect, pending);
      await appendLog(tx, {
        circleId: action.circleId,
        at,
        event: 'confirmed',
        summary: `A second moderator confirmed: ${describeAction(action.kind, { host: action.remoteHost }).replace(/\.$/, '')}; it stands.`,
        agreement: action.agreement,
        reason: action.reason,
        moderators: await this.handles(tx, [action.actedBy, member.id]),
        subject: action.withholdName ? null : await this.subjectOf(tx, action),
        actionId: action.id,
      });
      return (await actions.findAction(tx, action.id))!;
    });
    await this.flush(pending);
    return result;
  }

  /** Actions that affect this member (about them or their posts), newest first. */
  async affecting(actor: Member | undefined): Promise<ModerationAction[]> {
    return actions.listActionsAffecting(this.c.db, requireActive(actor).id);
  }

  /** An action the member may appeal (one that affects them). */
  async mineToAppeal(actor: Member | undefined, actionId: number): Promise<ModerationAction> {
    const member = requireActive(actor);
    const action = await actions.findAction(this.c.db, actionId);
    if (!action || (action.memberId ?? action.detail.postAuthorId) !== member.id) throw new NotFoundError('That action isn’t one you can appeal.');
    return action;
  }

  /** Lapses or ends every action whose time has come; returns how many changed. */
  async settleDue(): Promise<number> {
    const at = this.c.clock.now();
    let changed = 0;
    for (const due of await actions.listDueActions(this.c.db, at)) {
      const pending: Pending = [];
      const done = await this.c.db.transaction(async (tx) => {
        const action = await actions.findAction(tx, due.id, true);
        if (!action) return false;
        let event: ActionEvent;
        if ((action.status === 'pending' || action.status === 'awaiting') && action.confirmBy && action.confirmBy <= at) event = { type: 'confirm_window_passed' };
        else if ((action.status === 'pending' || action.status === 'standing') && action.endsAt && action.endsAt <= at) event = { type: 'time_up' };
        else return false;
        const step = transition(action.status, event);
        await actions.updateAction(tx, action.id, { status: step.status, settledAt: at });
        await this.effect(tx, action, step.effect, pending);
        const lapsed = event.type === 'confirm_window_passed';
        await appendLog(tx, {
          circleId: action.circleId,
          at,
          event: lapsed ? 'lapsed' : 'ended',
          summary: lapsed
            ? `No second moderator confirmed in time, so this lapsed${step.effect === 'undo' ? ' and was undone' : ''}: ${describeAction(action.kind, { host: action.remoteHost }).replace(/\.$/, '')}.`
            : `Time is up, so this ended: ${describeAction(action.kind, { host: action.remoteHost }).replace(/\.$/, '')}.`,
          agreement: action.agreement,
          reason: action.reason,
          moderators: await this.handles(tx, [action.actedBy, action.confirmedBy]),
          subject: action.withholdName ? null : await this.subjectOf(tx, action),
          actionId: action.id,
        });
        return true;
      });
      await this.flush(pending);
      if (done) changed += 1;
    }
    return changed;
  }

  /** Applies a transition decided elsewhere (an appeal, a member vote) inside its transaction. */
  async apply(tx: Transaction, actionId: number, event: ActionEvent, pending: Pending): Promise<ModerationAction> {
    const action = await this.lockAction(tx, actionId);
    const step = this.step(action, event);
    const at = this.c.clock.now();
    await actions.updateAction(tx, action.id, {
      status: step.status,
      ...(step.effect === 'apply' ? { effectiveAt: at } : {}),
      ...(step.status === 'overturned' || step.status === 'declined' ? { settledAt: at } : {}),
    });
    await this.effect(tx, { ...action, status: step.status }, step.effect, pending);
    return (await actions.findAction(tx, action.id))!;
  }

  async flush(pending: Pending): Promise<void> {
    for (const emit of pending) await emit();
  }

  async assertUninvolved(q: Queryable, memberId: number, action: ModerationAction): Promise<void> {
    const subjectIds = [action.memberId, action.detail.postAuthorId ?? null].filter((x): x is number => typeof x === 'number');
    const reporters = await reporterIdsFor(q, { postId: action.postId, memberId: action.memberId ?? action.detail.postAuthorId ?? null });
    if (action.reportId !== null) {
      const report = await findReport(q, action.reportId);
      if (report?.reporterId) reporters.push(report.reporterId);
    }
    const problem = involvement(memberId, { reporterIds: reporters, subjectIds, actedBy: action.actedBy, confirmedBy: action.confirmedBy });
    if (problem) throw new ForbiddenError(problem);
  }

  async subjectOf(q: Queryable, action: ModerationAction): Promise<string | null> {
    if (action.remoteHost && action.kind === 'block_instance') return action.remoteHost;
    if (action.detail.remoteHandle) return action.detail.remoteHandle;
    return handleOf(q, action.memberId ?? action.detail.postAuthorId ?? null);
  }

  async handles(q: Queryable, ids: Array<number | null>): Promise<string[]> {
    const out: string[] = [];
    for (const id of ids) {
      const h = await handleOf(q, id);
      if (h) out.push(h);
    }
    return out;
  }

  private step(action: ModerationAction, event: ActionEvent): { status: ModerationAction['status']; effect: Effect } {
    try {
      return transition(action.status, event);
    } catch (e) {
      if (e instanceof TransitionRefused) throw new HearthError('conflict', e.message);
      throw e;
    }
  }

  private async lockAction(tx: Queryable, id: number): Promise<ModerationAction> {
    const action = await actions.findAction(tx, id, true);
    if (!action) throw new NotFoundError('That action isn’t here.');
    return action;
  }

  private async resolve(tx: Queryable, kind: ActionKind, input: ActInput): Promise<Resolved> {
    const info = ACTION_KINDS[kind];
    const none: Resolved = { circleId: null, postId: null, threadId: null, memberId: null, remoteActorId: null, remoteHost: null, subjectIds: [], where: null, subject: null, detail: {} };
    if (info.target === 'host') {
      const host = (input.host ?? '').trim().toLowerCase();
      if (!isServerAddress(host)) throw new ValidationError({ host: 'Please give the other server’s address, e.g. social.example.' });
      return { ...none, remoteHost: host, subject: host };
    }
    if (info.target === 'post' || (info.target === 'member' && input.postId !== undefined && input.memberHandle === undefined && input.remoteActorId === undefined)) {
      const post = input.postId !== undefined ? await findPost(tx, input.postId) : undefined;
      if (!post) throw new NotFoundError('That post isn’t here any more.');
      const thread = await findThread(tx, post.threadId);
      if (!thread || thread.circleId === null) throw new NotFoundError('That post isn’t in one of this instance’s circles.');
      if (post.state === 'deleted') throw new HearthError('conflict', 'Its author already deleted that post.');
      if (kind === 'hide_post' && post.state === 'hidden') throw new HearthError('conflict', 'That post is already hidden.');
      if (kind === 'restore_post' && post.state === 'visible') throw new HearthError('conflict', 'That post is already shown.');
      const remote = post.remoteAuthor ? await tx.query<{ id: number; host: string }>('SELECT id, host FROM remote_actors WHERE iri = $1', [post.remoteAuthor.iri]) : [];
      const remoteRow = remote[0];
      if (info.target === 'member') {
        // Acting on a post's author.
        if (kind === 'check_in' && !post.authorId) throw new ValidationError({ kind: 'Check-ins can only go to members of this instance.' });
        return {
          ...none,
          circleId: thread.circleId,
          memberId: post.authorId,
          remoteActorId: post.authorId ? null : (remoteRow?.id ?? null),
          subjectIds: post.authorId ? [post.authorId] : [],
          where: thread.title,
          subject: post.author?.handle ?? post.remoteAuthor?.handle ?? null,
          detail: { postAuthorId: post.authorId, ...(post.remoteAuthor ? { remoteHandle: post.remoteAuthor.handle } : {}) },
        };
      }
      return {
        ...none,
        circleId: thread.circleId,
        postId: post.id,
        threadId: thread.id,
        subjectIds: post.authorId ? [post.authorId] : [],
        where: thread.title,
        subject: post.author?.handle ?? post.remoteAuthor?.handle ?? null,
        detail: {
          postAuthorId: post.authorId,
          previousState: post.state,
          previousContentWarning: post.contentWarning,
          ...(post.remoteAuthor ? { remoteHandle: post.remoteAuthor.handle } : {}),
        },
      };
    }
    if (info.target === 'thread') {
      const thread = input.threadId !== undefined ? await findThread(tx, input.threadId) : undefined;
      if (!thread || thread.circleId === null) throw new NotFoundError('That thread isn’t here any more.');
      return { ...none, circleId: thread.circleId, threadId: thread.id, subjectIds: [], where: thread.title, subject: null };
    }
    // A member (local by handle, or a remote account by id).
    let circleId: number | null = null;
    if (info.scope === 'circle') {
      if (!input.circleSlug) throw new ValidationError({ circle: 'Please say which circle this is about.' });
      circleId = (await circleBySlug(tx, input.circleSlug)).id;
    }
    if (input.remoteActorId !== undefined) {
      if (info.scope === 'instance') throw new ValidationError({ kind: 'Accounts on other servers can be removed from a circle, or their whole server blocked.' });
      if (kind === 'check_in') throw new ValidationError({ kind: 'Check-ins can only go to members of this instance.' });
      const rows = await tx.query<{ id: number; handle: string; host: string }>('SELECT id, handle, host FROM remote_actors WHERE id = $1', [input.remoteActorId]);
      const r = rows[0];
      if (!r) throw new NotFoundError('We don’t know that account.');
      const handle = `${r.handle}@${r.host}`;
      return { ...none, circleId, remoteActorId: r.id, subject: handle, detail: { remoteHandle: handle } };
    }
    const handle = (input.memberHandle ?? '').trim().replace(/^@/, '').toLowerCase();
    const target = handle ? await findMemberByHandle(tx, handle) : undefined;
    if (!target) throw new ValidationError({ memberHandle: 'There’s no member with that handle here.' });
    if (kind === 'suspend_account' && target.role === 'steward') {
      const stewards = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM members WHERE role = 'steward' AND status = 'active'");
      if (stewards[0]!.n <= 1) throw new HearthError('conflict', 'That is the only steward; the instance would have nobody to keep it running.');
    }
    if (circleId !== null) await circleById(tx, circleId);
    return { ...none, circleId, memberId: target.id, subjectIds: [target.id], subject: target.handle };
  }

  /** Does (or undoes) what an action means for the world. */
  private async effect(tx: Transaction, action: ModerationAction, effect: Effect, pending: Pending): Promise<ModerationAction> {
    if (effect === 'none') return action;
    const postEvent = async (name: 'moderation.post_hidden' | 'moderation.post_restored') => {
      if (action.postId === null) return;
      const post = await findPost(tx, action.postId);
      if (!post) return;
      const e: PostEvent = { threadId: post.threadId, postId: post.id, circleId: action.circleId, authorId: post.authorId, ...(post.remoteAuthor ? { remote: true } : {}) };
      pending.push(() => this.c.events.emit(name, e));
    };
    const restrictionKind = { hold_member: 'hold', mute_member: 'mute', remove_member: 'remove' } as const;
    switch (action.kind) {
      case 'check_in':
        if (effect === 'apply' && action.memberId !== null) {
          await insertCheckIn(tx, { toMemberId: action.memberId, fromMemberId: action.actedBy!, circleId: action.circleId, reportId: action.reportId, body: action.detail.message ?? '', at: this.c.clock.now() });
        }
        return action;
      case 'add_content_warning':
        if (action.postId === null) return action;
        if (effect === 'apply') await actions.setPostContentWarning(tx, action.postId, action.detail.contentWarning ?? null);
        if (effect === 'undo') await actions.setPostContentWarning(tx, action.postId, action.detail.previousContentWarning ?? null);
        return action;
      case 'slow_thread':
        if (action.threadId === null) return action;
        if (effect === 'apply') await actions.setThreadSlow(tx, action.threadId, action.detail.slowSeconds ?? 600);
        if (effect === 'undo') await actions.setThreadSlow(tx, action.threadId, 0);
        return action;
      case 'lock_thread':
        if (action.threadId === null) return action;
        if (effect === 'apply') await actions.setThreadLocked(tx, action.threadId, this.c.clock.now());
        if (effect === 'undo') await actions.setThreadLocked(tx, action.threadId, null);
        return action;
      case 'hide_post':
        if (action.postId === null) return action;
        if (effect === 'apply' && (await actions.setPostState(tx, action.postId, 'hidden', ['visible', 'held']))) await postEvent('moderation.post_hidden');
        if (effect === 'undo') {
          const back = action.detail.previousState === 'held' ? 'held' : 'visible';
          if (await actions.setPostState(tx, action.postId, back, ['hidden'])) if (back === 'visible') await postEvent('moderation.post_restored');
        }
        return action;
      case 'restore_post':
        if (action.postId === null || effect !== 'apply') return action;
        if (await actions.setPostState(tx, action.postId, 'visible', ['hidden', 'held', 'removed'])) await postEvent('moderation.post_restored');
        // Whatever hid it is over now.
        await tx.query("UPDATE moderation_actions SET status = 'ended', settled_at = $2 WHERE post_id = $1 AND kind = 'hide_post' AND status IN ('pending', 'standing')", [action.postId, this.c.clock.now()]);
        return action;
      case 'hold_member':
      case 'mute_member':
      case 'remove_member': {
        if (effect === 'undo') {
          await actions.removeRestriction(tx, action.id);
          if (action.kind === 'remove_member' && action.remoteActorId !== null && action.circleId !== null) {
            const e = { circleId: action.circleId, remoteActorId: action.remoteActorId, blocked: false };
            pending.push(() => this.c.events.emit('moderation.remote_blocked', e));
          }
          return action;
        }
        let endsAt = action.endsAt;
        // One moderator alone mutes for at most SOLO_MUTE_HOURS; confirmation extends it.
        if (action.kind === 'mute_member' && action.status === 'pending' && endsAt) {
          endsAt = new Date(Math.min(endsAt.getTime(), hoursFrom(action.createdAt, SOLO_MUTE_HOURS).getTime()));
        }
        if (effect === 'extend') {
          await actions.extendRestriction(tx, action.id, action.endsAt);
          return action;
        }
        await actions.addRestriction(tx, { actionId: action.id, circleId: action.circleId, memberId: action.memberId, remoteActorId: action.remoteActorId, kind: restrictionKind[action.kind], endsAt });
        if (action.kind === 'remove_member' && action.remoteActorId !== null && action.circleId !== null) {
          const e = { circleId: action.circleId, remoteActorId: action.remoteActorId, blocked: true };
          pending.push(() => this.c.events.emit('moderation.remote_blocked', e));
        }
        return action;
      }
      case 'suspend_account':
        if (action.memberId === null || effect === 'extend') return action;
        await actions.setMemberSuspended(tx, action.memberId, effect === 'apply');
        return action;
      case 'block_instance':
        if (action.remoteHost === null || effect === 'extend') return action;
        if (effect === 'apply') await actions.blockInstance(tx, action.remoteHost, action.id, this.c.clock.now());
        else await actions.unblockInstance(tx, action.remoteHost, action.id);
        return action;
    }
  }
}

