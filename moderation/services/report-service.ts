/**
 * Reports: any member can report a post, a member or an account elsewhere;
 * reporters see their report's status, the reported member never learns who
 * reported. Reports never hide anything by themselves. (Asking a peer to
 * check in on someone is not a report: src/domain/check-ins.)
 */
import { msg } from '../../src/i18n/message.js';
import { RateLimitedError, ConflictError, NotFoundError, ValidationError, ForbiddenError, type FieldErrors } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import { canSeeCircle } from '../../src/domain/circles/circle.js';
import { belongsToCircle } from '../../src/storage/repositories/circle-repository.js';
import { optionalText } from '../../src/domain/text-rules.js';
import { findMemberByHandle } from '../../src/storage/repositories/member-repository.js';
import { findPost } from '../../src/storage/repositories/post-repository.js';
import { findRemoteActor } from '../../src/storage/repositories/remote-actor-repository.js';
import { findThread } from '../../src/storage/repositories/thread-repository.js';
import { REPORT_REASONS, REPORTS_PER_HOUR, type ReportReason } from '../policies/defaults.js';
import { involvement } from '../rules/action-rules.js';
import { reportTransition, type ReportOutcome } from '../rules/report-rules.js';
import { appendLog } from '../storage/log-store.js';
import * as reports from '../storage/reports-store.js';
import type { Report } from '../types.js';
import { assertModerates, circleById, circleBySlug, requireActive, type ModerationContext } from './context.js';

export interface ReportInput {
  postId?: number | undefined;
  memberHandle?: string | undefined;
  remoteActorId?: number | undefined;
  /** For a member report: the circle it concerns (optional). */
  circleSlug?: string | undefined;
  reason?: string | undefined;
  note?: string | undefined;
  /** For content from another server: also send it there (without the reporter's name). */
  forward?: boolean | undefined;
  /**
   * A message in a private conversation, already checked by the conversation
   * service (the reporter takes part, someone else wrote it). The report goes
   * to the stewards; its text only if the reporter chose to include it.
   */
  conversationMessage?: { id: number; authorId: number; includeText: boolean } | undefined;
  /** What goes to the other server with it; empty means the note as written. */
  forwardNote?: string | undefined;
}

/** A report that arrived from another server as a Flag. */
export interface IncomingFlag {
  originHost: string;
  postIds: number[];
  memberIds: number[];
  note: string;
}

export class ReportService {
  constructor(private readonly c: ModerationContext) {}

  async report(actor: Member | undefined, input: ReportInput): Promise<Report> {
    const member = requireActive(actor);
    const errors: FieldErrors = {};
    const reason = REPORT_REASONS.find((r) => r.value === input.reason)?.value;
    if (!reason) errors.reason = msg('moderation.error.choose_reason');
    const note = optionalText(errors, 'note', input.note, msg('moderation.label.note'), 2000);
    // What the other server receives: the reporter's own edit, else the note as written.
    const edited = optionalText(errors, 'forwardNote', input.forwardNote, msg('moderation.label.forward_note'), 2000);
    const forwardNote = edited !== '' ? edited : note;
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.c.clock.now();
    const created = await this.c.db.transaction(async (tx) => {
      const recent = await reports.countRecentReportsBy(tx, member.id, new Date(at.getTime() - 3_600_000));
      if (recent >= REPORTS_PER_HOUR) {
        throw new RateLimitedError(msg('moderation.error.too_many_reports'));
      }
      let circleId: number | null = null;
      let postId: number | null = null;
      let memberId: number | null = null;
      let remoteActorId: number | null = null;
      if (input.postId !== undefined) {
        const post = await findPost(tx, input.postId);
        const thread = post ? await findThread(tx, post.threadId) : undefined;
        if (!post || !thread || post.state === 'deleted') throw new NotFoundError(msg('moderation.error.post_gone'));
        if (thread.circleId !== null) {
          const circle = await circleById(tx, thread.circleId);
          if (!canSeeCircle(circle, member, await belongsToCircle(tx, circle.id, member.id))) throw new NotFoundError(msg('moderation.error.post_gone'));
          circleId = circle.id;
        }
        if (post.authorId === member.id) throw new ValidationError({ reason: msg('moderation.error.own_post') });
        postId = post.id;
        memberId = post.authorId;
        if (post.remoteAuthor) {
          remoteActorId = (await findRemoteActor(tx, { iri: post.remoteAuthor.iri }))?.id ?? null;
        }
      } else if (input.conversationMessage !== undefined) {
        memberId = input.conversationMessage.authorId;
      } else if (input.remoteActorId !== undefined) {
        const known = await findRemoteActor(tx, { id: input.remoteActorId });
        if (!known) throw new NotFoundError(msg('moderation.error.unknown_account'));
        remoteActorId = known.id;
      } else {
        const handle = (input.memberHandle ?? '').trim().replace(/^@/, '').toLowerCase();
        const target = handle ? await findMemberByHandle(tx, handle) : undefined;
        if (!target) throw new ValidationError({ memberHandle: msg('moderation.error.no_such_member') });
        if (target.id === member.id) throw new ValidationError({ memberHandle: msg('moderation.error.report_yourself') });
        memberId = target.id;
      }
      if (input.circleSlug && circleId === null) circleId = (await circleBySlug(tx, input.circleSlug)).id;
      const report = await reports.insertReport(tx, {
        circleId,
        reporterId: member.id,
        originHost: null,
        postId,
        memberId,
        remoteActorId,
        reason: reason!,
        note,
        forward: input.forward === true && remoteActorId !== null,
        forwardNote: input.forward === true && remoteActorId !== null ? forwardNote : null,
        at,
        conversationMessageId: input.conversationMessage?.id ?? null,
        messageTextShared: input.conversationMessage?.includeText === true,
      });
      if (report.forward) await this.c.events.record(tx, 'moderation.report_forwarded', { reportId: report.id });
      return report;
    });
    if (created.forward) await this.c.events.emit('moderation.report_forwarded', { reportId: created.id });
    return created;
  }

  /** A Flag from another server: one report per circle it concerns, from the server, not a person. */
  async receiveFlag(flag: IncomingFlag): Promise<Report[]> {
    const at = this.c.clock.now();
    return this.c.db.transaction(async (tx) => {
      const out: Report[] = [];
      const note = flag.note.slice(0, 2000);
      for (const postId of flag.postIds) {
        const post = await findPost(tx, postId);
        const thread = post ? await findThread(tx, post.threadId) : undefined;
        if (!post || !thread) continue;
        out.push(await reports.insertReport(tx, { circleId: thread.circleId, reporterId: null, originHost: flag.originHost, postId, memberId: post.authorId, remoteActorId: null, reason: 'other', note, forward: false, at }));
      }
      if (flag.postIds.length === 0) {
        for (const memberId of flag.memberIds) {
          out.push(await reports.insertReport(tx, { circleId: null, reporterId: null, originHost: flag.originHost, postId: null, memberId, remoteActorId: null, reason: 'other', note, forward: false, at }));
        }
      }
      return out;
    });
  }

  mine(actor: Member | undefined): Promise<Report[]> {
    return reports.listReportsBy(this.c.db, requireActive(actor).id, 100);
  }

  /** A moderator closes a report: acted, nothing to do, or malicious. */
  async close(actor: Member | undefined, reportId: number, outcome: string, note: string | undefined): Promise<Report> {
    const member = requireActive(actor);
    if (outcome !== 'no_action' && outcome !== 'malicious') throw new ValidationError({ outcome: msg('moderation.error.choose_outcome') });
    const errors: FieldErrors = {};
    const text = optionalText(errors, 'outcomeNote', note, msg('moderation.label.outcome_note'), 2000);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.c.clock.now();
    await this.c.db.transaction(async (tx) => {
      const report = await reports.findReport(tx, reportId, true);
      if (!report) throw new NotFoundError(msg('moderation.missing.report'));
      await assertModerates(tx, member, report.circleId, at);
      const problem = involvement(member.id, { reporterIds: report.reporterId ? [report.reporterId] : [], subjectIds: report.memberId ? [report.memberId] : [] });
      if (problem) throw new ForbiddenError(problem);
      const next = reportTransition(report, { type: 'close', outcome: outcome as ReportOutcome });
      if (next !== 'closed') throw new ConflictError(next);
      await reports.closeReport(tx, report.id, { outcome, note: text, by: member.id, at });
      await appendLog(tx, {
        circleId: report.circleId,
        at,
        event: outcome === 'malicious' ? 'report_malicious' : 'report_closed',
        summary: msg(outcome === 'malicious' ? 'moderation.log.report_malicious' : 'moderation.log.report_no_action'),
        reason: text,
        moderators: [member.handle],
      });
    });
    return (await reports.findReport(this.c.db, reportId))!;
  }

  find(reportId: number): Promise<Report | undefined> {
    return reports.findReport(this.c.db, reportId);
  }
}

export type { ReportReason };
