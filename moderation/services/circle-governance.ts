/**
 * A circle's governance as people see it: its moderators, agreements (every
 * version), rules, public log, and the review queue its moderators work from.
 */
import { ConflictError, ForbiddenError, HearthError, NotFoundError, ValidationError, type FieldErrors, type Text } from '../../src/domain/errors.js';
import { msg, type MessageRef } from '../../src/i18n/message.js';
import type { Circle } from '../../src/domain/circles/circle.js';
import type { Member } from '../../src/domain/members/member.js';
import { isSteward } from '../../src/domain/members/member.js';
import type { Post, Thread } from '../../src/domain/threads/thread.js';
import { findPost } from '../../src/storage/repositories/post-repository.js';
import { findThread } from '../../src/storage/repositories/thread-repository.js';
import { policyChanges, wordsOfPurpose } from '../rules/policy-changes.js';
import { DEFAULT_AGREEMENTS, FOUNDER_DAYS, POLICY_LIMITS, type CirclePolicy } from '../policies/defaults.js';
import * as actions from '../storage/actions-store.js';
import { findPolicy, listAgreementVersions, savePolicy } from '../storage/agreements-store.js';
import { appendLog, listInstanceLog, listLog } from '../storage/log-store.js';
import { findReport, listOpenReports } from '../storage/reports-store.js';
import { allCircles, currentModerators, circlesModeratedBy, endTerm, recordFounderSteppedBack } from '../storage/roles-store.js';
import { heldPostsIn } from '../storage/safety-store.js';
import type { AgreementVersion, LogEntry, Moderator, ModerationAction, Report } from '../types.js';
import type { ActionService } from './action-service.js';
import { assertModerates, moderatorsOf, requireActive, type ModerationContext } from './context.js';
import { uninvolvedModerators } from './case-parties.js';

/** Where a circle's members propose a change to its accountability rules. */
export function circleRulesProposal(slug: string): string {
  return `/c/${slug}/proposals/new?kind=circle_rules`;
}

export interface QueueItem<T> {
  item: T;
  post?: Post | undefined;
  thread?: Thread | undefined;
  /** Earlier actions on the same member. */
  history: ModerationAction[];
  /** Why this moderator may not decide it (they're part of it), if so. */
  involved: Text | null;
}

export interface ReviewQueue {
  reports: Array<QueueItem<Report>>;
  held: Array<QueueItem<{ postId: number }>>;
  /** Safety actions in effect, and serious ones, waiting for a second moderator. */
  awaiting: Array<QueueItem<ModerationAction>>;
  /** Everything currently in effect. */
  standing: ModerationAction[];
}

export class CircleGovernance {
  constructor(
    private readonly c: ModerationContext,
    private readonly actionService: ActionService,
  ) {}

  /** Current agreements (the starting ones until members change them) and every earlier version. */
  async agreements(circleId: number | null): Promise<{ current: AgreementVersion; versions: AgreementVersion[] }> {
    const versions = await listAgreementVersions(this.c.db, circleId);
    const starting: AgreementVersion = { circleId, version: 1, items: [...DEFAULT_AGREEMENTS], proposalId: null, createdAt: new Date(0) };
    if (versions.length === 0) return { current: starting, versions: [starting] };
    // The starting text is stored as version 1 when members first change it (see ProposalService).
    return { current: versions[0]!, versions };
  }

  moderators(circleId: number): Promise<Moderator[]> {
    return currentModerators(this.c.db, circleId, this.c.clock.now(), FOUNDER_DAYS);
  }

  /** Whether the member may moderate this circle now (elected, founder, or steward of a circle without moderators). */
  async moderates(member: Member | undefined, circleId: number | null): Promise<boolean> {
    if (!member || member.status !== 'active') return false;
    return (await moderatorsOf(this.c.db, circleId, this.c.clock.now())).some((m) => m.memberId === member.id);
  }

  async moderatedBy(member: Member | undefined): Promise<Array<{ id: number; slug: string; name: string }>> {
    if (!member || member.status !== 'active') return [];
    const list = await circlesModeratedBy(this.c.db, member.id, this.c.clock.now(), FOUNDER_DAYS);
    if (isSteward(member)) {
      // Stewards look after circles that have nobody moderating right now.
      const rows = await allCircles(this.c.db);
      for (const c of rows) {
        if (list.some((l) => l.id === c.id)) continue;
        if ((await this.moderators(c.id)).length === 0) list.push(c);
      }
    }
    return list;
  }

  policy(circleId: number): Promise<CirclePolicy> {
    return findPolicy(this.c.db, circleId);
  }

  /** Moderators set the circle's posting rules and timings; every change is logged. */
  async setPolicy(actor: Member | undefined, circle: Circle, input: Record<string, string | undefined>): Promise<CirclePolicy> {
    const member = requireActive(actor);
    const errors: FieldErrors = {};
    const current = await findPolicy(this.c.db, circle.id);
    // The rules that hold moderators accountable (term, quorum, its fallback, the
    // confirmation window) are the members' to change, by a proposal: a form
    // that leaves them out keeps them; one that changes them is refused.
    const byProposal = () => msg('governance.error.by_proposal', { link: circleRulesProposal(circle.slug) });
    const int = (field: 'confirmHours' | 'termDays' | 'quorumPercent', label: MessageRef): number => {
      const raw = input[field];
      if (raw === undefined || raw.trim() === '') return current[field];
      const limits = POLICY_LIMITS[field] as { min: number; max: number };
      const n = Number(raw);
      if (!Number.isInteger(n) || n < limits.min || n > limits.max) errors[field] = msg('governance.error.whole_number', { label, min: limits.min, max: limits.max });
      else if (n !== current[field]) errors[field] = byProposal();
      return n;
    };
    const fallback = input.quorumFallback === undefined || input.quorumFallback === '' ? current.quorumFallback : input.quorumFallback;
    if (fallback !== 'stands' && fallback !== 'advisory' && fallback !== 'extend') errors.quorumFallback = msg('governance.error.fallback');
    else if (fallback !== current.quorumFallback) errors.quorumFallback = byProposal();
    const keywords = (input.keywordFilters ?? '').split(/\r?\n|,/).map((k) => k.trim()).filter((k) => k !== '');
    if (keywords.length > POLICY_LIMITS.keywordFilters.max) errors.keywordFilters = msg('governance.error.keywords_max', { max: POLICY_LIMITS.keywordFilters.max });
    else if (keywords.some((k) => k.length > POLICY_LIMITS.keywordFilters.length)) errors.keywordFilters = msg('governance.error.keyword_length', { max: POLICY_LIMITS.keywordFilters.length });
    else {
      const ofPurpose = wordsOfPurpose(keywords, circle);
      if (ofPurpose.length > 0) {
        // Each word in the reader's own quotation marks.
        const quoted = ofPurpose.map((word) => msg('governance.circle.quoted_word', { word }));
        const words = quoted.reduce((a, b) => msg('governance.words_join', { a, b }));
        errors.keywordFilters = msg('governance.error.keywords_of_purpose', { count: ofPurpose.length, words });
      }
    }
    const next: CirclePolicy = {
      confirmHours: int('confirmHours', msg('governance.label.time_to_confirm')),
      termDays: int('termDays', msg('governance.label.term')),
      quorumPercent: int('quorumPercent', msg('governance.label.quorum')),
      quorumFallback: fallback as CirclePolicy['quorumFallback'],
      firstPostsHeld: input.firstPostsHeld === 'on',
      contentWarningRequired: input.contentWarningRequired === 'on',
      keywordFilters: [...new Set(keywords)],
    };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.c.clock.now();
    await this.c.db.transaction(async (tx) => {
      await assertModerates(tx, member, circle.id, at);
      const before = await findPolicy(tx, circle.id);
      const changes = policyChanges(before, next);
      if (changes.length === 0) return;
      await savePolicy(tx, circle.id, next, at);
      // Every field changed, before → after, in the open.
      await appendLog(tx, {
        circleId: circle.id,
        at,
        event: 'rules_changed',
        summary: `Changed the circle’s rules: ${changes.join('; ')}.`,
        moderators: [member.handle],
      });
    });
    return next;
  }

  async log(circleId: number | null, beforeId?: number): Promise<LogEntry[]> {
    return listLog(this.c.db, circleId, 50, beforeId);
  }

  /** Everything logged on the instance: its own entries and every circle's the viewer can see. */
  async instanceLog(viewer: Member | undefined, beforeId?: number, limit = 50): Promise<LogEntry[]> {
    return listInstanceLog(this.c.db, viewer && viewer.status === 'active' ? viewer.id : null, limit, beforeId);
  }

  async queue(actor: Member | undefined, circle: Circle | null): Promise<ReviewQueue> {
    const member = requireActive(actor);
    const circleId = circle?.id ?? null;
    const at = this.c.clock.now();
    await assertModerates(this.c.db, member, circleId, at);
    const stepped = await actions.recusals(this.c.db, member.id);
    const withContext = async <T>(item: T, postId: number | null, memberId: number | null, involved: Text | null): Promise<QueueItem<T>> => {
      const post = postId !== null ? await findPost(this.c.db, postId) : undefined;
      const thread = post ? await findThread(this.c.db, post.threadId) : undefined;
      const subject = memberId ?? post?.authorId ?? null;
      return { item, post, thread, history: subject !== null ? await actions.listActionsAbout(this.c.db, subject, 10) : [], involved };
    };
    const reports = [];
    for (const r of await listOpenReports(this.c.db, circleId)) {
      if (stepped.reports.has(r.id)) continue;
      const involved = r.reporterId === member.id ? msg('moderation.queue.you_reported') : r.memberId === member.id ? msg('moderation.queue.about_you') : null;
      reports.push(await withContext(r, r.postId, r.memberId, involved));
    }
    const held = [];
    if (circleId !== null) {
      for (const h of await heldPostsIn(this.c.db, circleId)) {
        held.push(await withContext({ postId: h.postId }, h.postId, h.authorId, h.authorId === member.id ? msg('moderation.queue.your_post') : null));
      }
    }
    const awaiting = [];
    const open = await actions.listActions(this.c.db, { circleId, statuses: ['pending', 'awaiting'] });
    if (circleId === null) {
      // Stewards confirm for circles with no other moderator who could.
      for (const a of await actions.listCircleActions(this.c.db, ['pending', 'awaiting'])) {
        if ((await uninvolvedModerators(this.c.db, a, at)).length === 0) open.push(a);
      }
    }
    for (const a of open) {
      if (stepped.actions.has(a.id)) continue;
      let involved: Text | null = null;
      try {
        await this.actionService.assertUninvolved(this.c.db, member.id, a);
      } catch (e) {
        involved = e instanceof HearthError ? e.text : msg('moderation.queue.part_of_case');
      }
      awaiting.push(await withContext(a, a.postId, a.memberId, involved));
    }
    const standing = await actions.listActions(this.c.db, { circleId, statuses: ['standing', 'put_to_vote'] });
    return { reports, held, awaiting, standing };
  }

  /** A moderator steps back from one case (it leaves their queue), without it counting against them. */
  async stepBackFromCase(actor: Member | undefined, target: { reportId?: number; actionId?: number }): Promise<void> {
    const member = requireActive(actor);
    const found = target.reportId !== undefined ? await findReport(this.c.db, target.reportId) : target.actionId !== undefined ? await actions.findAction(this.c.db, target.actionId) : undefined;
    if (!found) throw new NotFoundError(target.reportId !== undefined ? msg('governance.error.report_not_here') : msg('governance.error.action_not_here'));
    // Only someone who could decide the case can step back from it.
    await assertModerates(this.c.db, member, found.circleId, this.c.clock.now());
    await actions.recuse(this.c.db, member.id, target);
  }

  /** A moderator steps back from their term early. */
  async stepDown(actor: Member | undefined, circle: Circle): Promise<void> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    await this.c.db.transaction(async (tx) => {
      const mine = (await currentModerators(tx, circle.id, at, FOUNDER_DAYS)).find((m) => m.memberId === member.id);
      if (!mine) throw new ForbiddenError(msg('governance.error.not_moderator'));
      if (mine.founder) {
        // The founder's time ends by seating nobody: record it as a zero-length ended term.
        await recordFounderSteppedBack(tx, circle.id, member.id, at);
      } else if (!(await endTerm(tx, mine.termId!, at, 'stepped_back'))) {
        throw new ConflictError(msg('governance.error.term_ended'));
      }
      await appendLog(tx, { circleId: circle.id, at, event: 'stepped_back', summary: 'A moderator stepped back from their term. Thank you for your care.', moderators: [member.handle] });
    });
  }

  /** Holds: a moderator lets a held post through or keeps it back. */
  async reviewHeld(actor: Member | undefined, postId: number, approve: boolean): Promise<void> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    const pending: Array<() => Promise<void>> = [];
    await this.c.db.transaction(async (tx) => {
      const post = await findPost(tx, postId);
      const thread = post ? await findThread(tx, post.threadId) : undefined;
      if (!post || !thread || thread.circleId === null || post.state !== 'held') throw new NotFoundError(msg('governance.error.post_not_waiting'));
      await assertModerates(tx, member, thread.circleId, at);
      if (post.authorId === member.id) throw new ForbiddenError(msg('governance.error.own_post'));
      await actions.setPostState(tx, post.id, approve ? 'visible' : 'removed', ['held']);
      await appendLog(tx, {
        circleId: thread.circleId,
        at,
        event: approve ? 'held_post_shown' : 'held_post_kept_back',
        summary: approve ? `Let a post waiting for review through in “${thread.title}”.` : `Kept back a post waiting for review in “${thread.title}”.`,
        moderators: [member.handle],
        // Whose post it was stays out of the public log.
        subject: null,
      });
      if (approve) {
        const e = { threadId: thread.id, postId: post.id, circleId: thread.circleId, authorId: post.authorId };
        await this.c.events.record(tx, 'moderation.post_restored', e);
        pending.push(() => this.c.events.emit('moderation.post_restored', e));
      }
    });
    await this.actionService.flush(pending);
  }
}
