/**
 * Moderators' actions under the two-person rule: taking one, confirming it,
 * putting a serious one to the members, and the timer that lapses or ends
 * actions. Every change is logged publicly in the same transaction.
 */
import { msg } from '../../src/i18n/message.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import { requiredText } from '../../src/domain/text-rules.js';
import type { Queryable, Transaction } from '../../src/storage/database.js';
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
  type Effect,
} from '../rules/action-rules.js';
import * as actions from '../storage/actions-store.js';
import { findPolicy } from '../storage/agreements-store.js';
import { setLogSubject, appendLog } from '../storage/log-store.js';
import { closeReport, findReport, reporterIdsFor } from '../storage/reports-store.js';
import type { ActionDetail, ModerationAction } from '../types.js';
import { assertModerates, handleOf, hoursFrom, moderates, requireActive, type ModerationContext } from './context.js';
import { describeAction } from './describe.js';
import { applyEffect, type PendingEvents } from './action-effects.js';
import { resolveTarget } from './action-targets.js';
import { affectedMember, partiesOf, uninvolvedModerators } from './case-parties.js';
import { circlePlace, logEntryLink } from './notices.js';
import { isSteward } from '../../src/domain/members/member.js';

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



type Pending = PendingEvents;

export class ActionService {
  constructor(private readonly c: ModerationContext) {}

  /**
   * `afterwards` runs inside the same transaction once the action exists
   * (an emergency act opens its members' vote there).
   */
  async act(actor: Member | undefined, input: ActInput, afterwards?: (tx: Transaction, action: ModerationAction) => Promise<void>): Promise<ModerationAction> {
    const member = requireActive(actor);
    if (!isActionKind(input.kind)) throw new ValidationError({ kind: msg('moderation.error.choose_what_to_do') });
    const kind = input.kind;
    const info = ACTION_KINDS[kind];
    const errors: FieldErrors = {};
    const agreement = requiredText(errors, 'agreement', input.agreement, msg('moderation.label.agreement'), 500);
    const reason = requiredText(errors, 'reason', input.reason, msg('moderation.label.reason'), 2000);
    let hours: number | null = null;
    try {
      hours = durationHours(kind, input.hours);
    } catch (e) {
      if (e instanceof TransitionRefused) errors.hours = e.text;
      else throw e;
    }
    const detail: ActionDetail = {};
    if (kind === 'message') detail.message = requiredText(errors, 'message', input.message, msg('moderation.label.message'), 4000);
    if (kind === 'add_content_warning') detail.contentWarning = requiredText(errors, 'contentWarning', input.contentWarning, msg('moderation.label.content_warning'), 200);
    if (kind === 'slow_thread') {
      const minutes = input.slowMinutes ?? 10;
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) errors.slowMinutes = msg('moderation.error.slow_minutes');
      detail.slowSeconds = minutes * 60;
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const at = this.c.clock.now();
    const pending: Pending = [];
    const action = await this.c.db.transaction(async (tx) => {
      const target = await resolveTarget(tx, kind, input);
      await assertModerates(tx, member, target.circleId, at);
      const reportersOfCase = await reporterIdsFor(tx, { postId: target.postId, memberId: target.memberId ?? target.subjectIds[0] ?? null });
      let reportId: number | null = null;
      if (input.reportId !== undefined) {
        const report = await findReport(tx, input.reportId, true);
        if (!report || report.circleId !== target.circleId) throw new NotFoundError(msg('moderation.error.report_not_in_circle'));
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
          if (e instanceof TransitionRefused) throw new ValidationError({ kind: e.text });
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
        // The public log protects the person moderated: their handle is left out unless they choose to be named.
        // Only a server block names what it is about (a host, not a person).
        withholdName: kind !== 'block_instance' || input.withholdName === true,
        actedBy: member.id,
        createdAt: at,
        confirmBy: needsSecond ? hoursFrom(at, confirmHours) : null,
        effectiveAt: begin.effect === 'apply' ? at : null,
        endsAt: hours !== null ? hoursFrom(at, hours) : null,
      });
      const applied = begin.effect === 'apply' ? await applyEffect(this.c, tx, created, 'apply', pending) : created;
      const logId = await appendLog(tx, {
        circleId: target.circleId,
        at,
        event: input.emergency ? 'emergency' : begin.status === 'awaiting' ? 'proposed' : 'acted',
        summary: msg('moderation.log.acted', {
          action: describeAction(kind, { awaiting: begin.status === 'awaiting', where: target.where, host: target.remoteHost, hours }),
          pending: begin.status === 'pending' ? 'yes' : 'no',
          emergency: input.emergency ? 'yes' : 'no',
        }),
        agreement,
        reason,
        moderators: [member.handle],
        subject: created.withholdName ? null : target.subject,
        actionId: created.id,
      });
      if (reportId !== null) await closeReport(tx, reportId, { outcome: 'acted', note: '', by: member.id, at });
      // The member it is about is told, with the log entry and how to appeal.
      const affected = affectedMember(created);
      if (affected !== null) {
        const place = await circlePlace(tx, target.circleId);
        await this.c.notifier.notify(tx, {
          memberId: affected,
          kind: 'moderation.about_me',
          circleId: target.circleId,
          link: logEntryLink(place, logId),
          details: { action: info.label.toLowerCase(), actionKind: created.kind, ...(place.name ? { circle: place.name } : {}), appeal: `/moderation/actions/${created.id}/appeal` },
        });
      }
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
      const as = await this.confirmingAs(tx, member, action, at);
      await this.assertUninvolved(tx, member.id, action);
      if (action.confirmBy && action.confirmBy <= at && (action.status === 'pending' || action.status === 'awaiting')) {
        throw new ConflictError(msg('moderation.error.confirm_time_passed'));
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
        await actions.setActionEndsAt(tx, action.id, endsAt);
        updated.endsAt = endsAt;
      }
      await applyEffect(this.c, tx, updated, step.effect, pending);
      await appendLog(tx, {
        circleId: action.circleId,
        at,
        event: 'confirmed',
        summary: msg(as === 'steward' ? 'moderation.log.confirmed_by_steward' : 'moderation.log.confirmed', { action: describeAction(action.kind, { host: action.remoteHost }) }),
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

  /**
   * Who may confirm: the circle's moderators; or, where none of them could
   * (a circle with a single moderator, or all of them part of the case), an
   * uninvolved steward.
   */
  async confirmingAs(q: Queryable, member: Member, action: ModerationAction, at: Date): Promise<'moderator' | 'steward'> {
    if (await moderates(q, member, action.circleId, at)) return 'moderator';
    if (action.circleId !== null && isSteward(member) && (await uninvolvedModerators(q, action, at)).length === 0) return 'steward';
    throw new ForbiddenError(msg('moderation.error.only_moderators'));
  }

  /** Actions that affect this member (about them or their posts), newest first. */
  async affecting(actor: Member | undefined): Promise<ModerationAction[]> {
    return actions.listActionsAffecting(this.c.db, requireActive(actor).id);
  }

  /**
   * The member an action affects chooses whether the public log names them
   * (e.g. when they appeal and want it known); by default it does not. Every
   * log entry about the action follows their choice.
   */
  async chooseNaming(actor: Member | undefined, actionId: number, named: boolean): Promise<void> {
    const member = requireActive(actor);
    await this.c.db.transaction(async (tx) => {
      const action = await actions.findAction(tx, actionId, true);
      if (!action || affectedMember(action) !== member.id) throw new NotFoundError(msg('moderation.error.action_not_about_you'));
      await actions.setWithholdName(tx, action.id, !named);
      await setLogSubject(tx, action.id, named ? member.handle : null);
    });
  }

  /** An action the member may appeal (one that affects them). */
  async mineToAppeal(actor: Member | undefined, actionId: number): Promise<ModerationAction> {
    const member = requireActive(actor);
    const action = await actions.findAction(this.c.db, actionId);
    if (!action || (affectedMember(action)) !== member.id) throw new NotFoundError(msg('moderation.error.action_not_appealable'));
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
        await applyEffect(this.c, tx, action, step.effect, pending);
        const lapsed = event.type === 'confirm_window_passed';
        await appendLog(tx, {
          circleId: action.circleId,
          at,
          event: lapsed ? 'lapsed' : 'ended',
          summary: msg(lapsed ? (step.effect === 'undo' ? 'moderation.log.lapsed_undone' : 'moderation.log.lapsed') : 'moderation.log.ended', {
            action: describeAction(action.kind, { host: action.remoteHost }),
          }),
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
    await applyEffect(this.c, tx, { ...action, status: step.status }, step.effect, pending);
    return (await actions.findAction(tx, action.id))!;
  }

  async flush(pending: Pending): Promise<void> {
    for (const emit of pending) await emit();
  }

  async assertUninvolved(q: Queryable, memberId: number, action: ModerationAction): Promise<void> {
    const problem = involvement(memberId, await partiesOf(q, action));
    if (problem) throw new ForbiddenError(problem);
  }

  async subjectOf(q: Queryable, action: ModerationAction): Promise<string | null> {
    if (action.remoteHost && action.kind === 'block_instance') return action.remoteHost;
    if (action.detail.remoteHandle) return action.detail.remoteHandle;
    return handleOf(q, affectedMember(action));
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
      if (e instanceof TransitionRefused) throw new ConflictError(e.text);
      throw e;
    }
  }

  private async lockAction(tx: Queryable, id: number): Promise<ModerationAction> {
    const action = await actions.findAction(tx, id, true);
    if (!action) throw new NotFoundError(msg('moderation.missing.action'));
    return action;
  }
}
