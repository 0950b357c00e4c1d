/**
 * One mechanism for the decisions a circle (or the instance) makes together:
 * elections, recalls, changes to the agreements, instance blocks, and serious
 * actions put to the members. Ballots are private; totals are public; the
 * outcome is computed, recorded in the log and applied.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import { isSteward } from '../../src/domain/members/member.js';
import { optionalText } from '../../src/domain/text-rules.js';
import type { Transaction } from '../../src/storage/database.js';
import { findMemberByHandle } from '../../src/storage/repositories/member-repository.js';
import { DEFAULT_AGREEMENTS, DEFAULT_SEATS, NOMINATION_DAYS, VOTING_DAYS, type QuorumFallback } from '../policies/defaults.js';
import { checkBallot, close, quorumFor, tally, type ProposalKind, type ProposalMode } from '../rules/proposal-rules.js';
import * as actions from '../storage/actions-store.js';
import { findPolicy, insertAgreementVersion, listAgreementVersions } from '../storage/agreements-store.js';
import { appendLog } from '../storage/log-store.js';
import { circlePlace, tellCircle } from './notices.js';
import * as proposals from '../storage/proposals-store.js';
import { canSeeCircle } from '../../src/domain/circles/circle.js';
import { activeMemberIds, circleMemberIds, endTerm, findTerm, isCircleMember, seatModerator } from '../storage/roles-store.js';
import type { ModerationAction, Nomination, Proposal } from '../types.js';
import type { ActInput, ActionService } from './action-service.js';
import { isServerAddress } from '../rules/server-address.js';
import { assertModerates, circleById, circleBySlug, hoursFrom, requireActive, type ModerationContext } from './context.js';

export interface ProposalInput {
  circleSlug?: string | undefined;
  kind?: string | undefined;
  title?: string | undefined;
  body?: string | undefined;
  mode?: string | undefined;
  votingDays?: number | undefined;
  nominationDays?: number | undefined;
  seats?: number | undefined;
  termId?: number | undefined;
  /** New agreements, one per line. */
  agreements?: string | undefined;
  host?: string | undefined;
}

export interface ProposalView {
  proposal: Proposal;
  nominations: Nomination[];
  /** Totals once voting has closed (ballots stay private while open). */
  totals: Record<string, number> | null;
  turnout: number | null;
  objections: string[];
  myBallot: { choice: string; reason: string } | null;
  canVote: boolean;
}

const DAY_HOURS = 24;

export class ProposalService {
  constructor(
    private readonly c: ModerationContext,
    private readonly actions: ActionService,
  ) {}

  async propose(actor: Member | undefined, input: ProposalInput): Promise<Proposal> {
    const member = requireActive(actor);
    const kind = input.kind as ProposalKind;
    if (!['election', 'recall', 'agreements', 'instance_block'].includes(kind)) throw new ValidationError({ kind: 'Please choose what the proposal is about.' });
    const errors: FieldErrors = {};
    const body = optionalText(errors, 'body', input.body, 'The explanation', 4000);
    const mode: ProposalMode = input.mode === 'consent' ? 'consent' : 'majority';
    if (input.mode !== undefined && input.mode !== 'consent' && input.mode !== 'majority') errors.mode = 'Please choose majority or consent.';
    if (kind === 'election' && mode === 'consent') errors.mode = 'Elections are decided by votes, not by consent.';
    const votingDays = input.votingDays ?? VOTING_DAYS.default;
    if (!Number.isInteger(votingDays) || votingDays < VOTING_DAYS.min || votingDays > VOTING_DAYS.max) errors.votingDays = `Voting can stay open for ${VOTING_DAYS.min} to ${VOTING_DAYS.max} days.`;
    const nominationDays = input.nominationDays ?? NOMINATION_DAYS.default;
    if (kind === 'election' && (!Number.isInteger(nominationDays) || nominationDays < NOMINATION_DAYS.min || nominationDays > NOMINATION_DAYS.max)) {
      errors.nominationDays = `Nominations can stay open for ${NOMINATION_DAYS.min} to ${NOMINATION_DAYS.max} days.`;
    }
    const seats = input.seats ?? DEFAULT_SEATS;
    if (kind === 'election' && (!Number.isInteger(seats) || seats < 1 || seats > 9)) errors.seats = 'An election can fill 1 to 9 places.';
    let items: string[] | undefined;
    if (kind === 'agreements') {
      items = (input.agreements ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\d+[.)]\s*/, '')).filter((l) => l !== '');
      if (items.length === 0) errors.agreements = 'Please write the agreements, one per line.';
      else if (items.length > 30) errors.agreements = 'Please keep to 30 agreements or fewer.';
      else if (items.some((i) => i.length > 500)) errors.agreements = 'Each agreement can be at most 500 characters.';
    }
    let host: string | undefined;
    if (kind === 'instance_block') {
      host = (input.host ?? '').trim().toLowerCase();
      if (!isServerAddress(host)) errors.host = 'Please give the other server’s address, e.g. social.example.';
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const at = this.c.clock.now();
    const created = await this.c.db.transaction(async (tx) => {
      const circle = kind === 'instance_block' ? null : await circleBySlug(tx, input.circleSlug ?? '');
      const circleId = circle?.id ?? null;
      const member_ = circleId === null || (await isCircleMember(tx, circleId, member.id));
      if (!member_ && !(kind === 'election' && isSteward(member))) {
        throw new ForbiddenError('Members of this circle can make proposals here. Join the circle first.');
      }
      const payload: Proposal['payload'] = {};
      let title: string;
      if (kind === 'election') {
        if ((await proposals.openProposalsOfKind(tx, circleId, 'election')).length > 0) throw new ConflictError('An election is already under way in this circle.');
        payload.seats = seats;
        title = `Election of moderators for ${circle!.name}`;
      } else if (kind === 'recall') {
        const term = input.termId !== undefined ? await findTerm(tx, input.termId) : undefined;
        if (!term || term.circleId !== circleId || term.endedAt || term.endsAt <= at) throw new ValidationError({ termId: 'Please choose one of the circle’s current elected moderators.' });
        const m = await tx.query<{ handle: string }>('SELECT handle FROM members WHERE id = $1', [term.memberId]);
        payload.termId = term.id;
        payload.memberId = term.memberId;
        title = `Recall @${m[0]!.handle} as a moderator of ${circle!.name}`;
      } else if (kind === 'agreements') {
        payload.items = items!;
        title = `New agreements for ${circle!.name}`;
      } else {
        payload.host = host!;
        title = `Block ${host} from this instance`;
      }
      const customTitle = optionalText({}, 'title', input.title, 'The title', 200);
      return this.open(tx, { circleId, kind, title: customTitle || title, body, mode, payload, createdBy: member.id, at, votingDays, nominationDays: kind === 'election' ? nominationDays : 0 });
    });
    return created;
  }

  /** Creates and logs a proposal; also used to put a serious action to the members. */
  async open(
    tx: Transaction,
    p: { circleId: number | null; kind: ProposalKind; title: string; body: string; mode: ProposalMode; payload: Proposal['payload']; createdBy: number | null; at: Date; votingDays: number; nominationDays: number },
  ): Promise<Proposal> {
    const policy = p.circleId !== null ? await findPolicy(tx, p.circleId) : undefined;
    const eligible = p.circleId !== null ? (await circleMemberIds(tx, p.circleId)).length : (await activeMemberIds(tx)).length;
    const percent = policy?.quorumPercent ?? 20;
    const fallback: QuorumFallback = policy?.quorumFallback ?? 'extend';
    const votingOpensAt = hoursFrom(p.at, p.nominationDays * DAY_HOURS);
    const proposal = await proposals.insertProposal(tx, {
      circleId: p.circleId,
      kind: p.kind,
      title: p.title,
      body: p.body,
      mode: p.mode,
      payload: p.payload,
      status: p.nominationDays > 0 ? 'nominating' : 'open',
      quorum: quorumFor(eligible, percent),
      eligible,
      quorumFallback: fallback,
      createdBy: p.createdBy,
      createdAt: p.at,
      votingOpensAt,
      deadline: hoursFrom(votingOpensAt, p.votingDays * DAY_HOURS),
    });
    const who = p.createdBy !== null ? await this.actions.handles(tx, [p.createdBy]) : [];
    await appendLog(tx, { circleId: p.circleId, at: p.at, event: 'proposal_opened', summary: `Proposal opened: ${p.title}.`, moderators: p.kind === 'action' ? who : [], proposalId: proposal.id });
    const place = await circlePlace(tx, p.circleId);
    await tellCircle(this.c.notifier, tx, p.circleId, {
      kind: p.kind === 'election' ? 'election.opened' : 'vote.opened',
      actorMemberId: p.createdBy,
      circleId: p.circleId,
      link: `/proposals/${proposal.id}`,
      details: { title: p.title, ...(place.name ? { circle: place.name } : {}) },
    });
    return proposal;
  }

  /**
   * Stewards act at once in an emergency (suspend an account, block a server),
   * and the act goes straight to all members, whose vote keeps or undoes it.
   */
  async emergency(actor: Member | undefined, input: ActInput): Promise<{ action: ModerationAction; proposal: Proposal }> {
    let proposal: Proposal | undefined;
    const action = await this.actions.act(actor, { ...input, circleSlug: undefined, emergency: true }, async (tx, created) => {
      proposal = await this.openActionVote(tx, created, created.actedBy, created.createdAt, 'Should this emergency act stand?');
    });
    return { action, proposal: proposal! };
  }

  /** Opens the members' vote on an action and links the two. */
  private async openActionVote(tx: Transaction, action: ModerationAction, by: number | null, at: Date, question: string): Promise<Proposal> {
    const proposal = await this.open(tx, {
      circleId: action.circleId,
      kind: 'action',
      title: `${question} ${(action.withholdName ? null : await this.actions.subjectOf(tx, action)) ?? ''} — ${action.kind.replace(/_/g, ' ')}`.replace(/\s+/g, ' ').trim(),
      body: `Agreement: ${action.agreement}\n\nReason: ${action.reason}`,
      mode: 'majority',
      payload: { actionId: action.id },
      createdBy: by,
      at,
      votingDays: VOTING_DAYS.default,
      nominationDays: 0,
    });
    await actions.linkProposal(tx, action.id, proposal.id);
    return proposal;
  }

  /** A serious action waiting for agreement goes to a member vote instead. */
  async putActionToVote(actor: Member | undefined, actionId: number): Promise<Proposal> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    return this.c.db.transaction(async (tx) => {
      const action = await actions.findAction(tx, actionId, true);
      if (!action) throw new NotFoundError('That action isn’t here.');
      await assertModerates(tx, member, action.circleId, at);
      const pending: Array<() => Promise<void>> = [];
      const proposal = await this.openActionVote(tx, action, member.id, at, 'Should this stand?');
      await this.actions.apply(tx, action.id, { type: 'put_to_vote' }, pending);
      return proposal;
    });
  }

  async nominate(actor: Member | undefined, proposalId: number, handle: string | undefined): Promise<void> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    await this.c.db.transaction(async (tx) => {
      const p = await this.phase(tx, proposalId, 'nominating', 'Nominations for this election are closed.');
      if (p.kind !== 'election') throw new NotFoundError('That isn’t an election.');
      if (!(await isCircleMember(tx, p.circleId!, member.id))) throw new ForbiddenError('Members of this circle can nominate. Join the circle first.');
      const clean = (handle ?? '').trim().replace(/^@/, '').toLowerCase();
      const nominee = clean ? await findMemberByHandle(tx, clean) : undefined;
      if (!nominee || nominee.status !== 'active') throw new ValidationError({ handle: 'There’s no member with that handle here.' });
      if (!(await isCircleMember(tx, p.circleId!, nominee.id))) throw new ValidationError({ handle: 'Only members of this circle can stand.' });
      // Standing yourself needs no confirming; others are asked first.
      if (!(await proposals.nominate(tx, p.id, nominee.id, member.id, nominee.id === member.id, at))) {
        throw new ConflictError('They have already been nominated.');
      }
      const place = await circlePlace(tx, p.circleId);
      await this.c.notifier.notify(tx, {
        memberId: nominee.id,
        kind: 'nomination',
        actorMemberId: member.id,
        circleId: p.circleId,
        link: `/proposals/${p.id}`,
        details: { title: p.title, ...(place.name ? { circle: place.name } : {}) },
      });
    });
  }

  async answerNomination(actor: Member | undefined, proposalId: number, accept: boolean): Promise<void> {
    const member = requireActive(actor);
    await this.c.db.transaction(async (tx) => {
      await this.phase(tx, proposalId, 'nominating', 'Nominations for this election are closed.');
      if (!(await proposals.acceptNomination(tx, proposalId, member.id, accept))) throw new NotFoundError('You haven’t been nominated in this election.');
    });
  }

  async vote(actor: Member | undefined, proposalId: number, choice: string | undefined, reason: string | undefined): Promise<'new' | 'changed'> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    return this.c.db.transaction(async (tx) => {
      const p = await this.phase(tx, proposalId, 'open', 'Voting on this proposal is closed.');
      if (p.deadline <= at) throw new ConflictError('The deadline for this vote has passed.');
      const eligible = p.circleId !== null ? await isCircleMember(tx, p.circleId, member.id) : true;
      if (!eligible) throw new ForbiddenError('Members of this circle can vote here.');
      if (p.kind === 'action' && p.payload.actionId !== undefined) {
        const action = await actions.findAction(tx, p.payload.actionId);
        if (action) await this.actions.assertUninvolved(tx, member.id, { ...action, actedBy: null, confirmedBy: null });
      }
      if (p.kind === 'recall' && p.payload.memberId === member.id) throw new ForbiddenError('This vote is about you, so the others decide.');
      const candidates = (await proposals.listNominations(tx, p.id)).filter((n) => n.accepted).map((n) => String(n.memberId));
      const errors: FieldErrors = {};
      const why = optionalText(errors, 'reason', reason, 'Your reason', 1000);
      const ballot = { choice: choice ?? '', reason: why };
      const problem = checkBallot({ kind: p.kind, mode: p.mode, candidates }, ballot);
      if (problem) errors[ballot.choice === 'object' ? 'reason' : 'choice'] = problem;
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      return proposals.castVote(tx, p.id, member.id, ballot, at);
    });
  }

  /** Opens voting on elections whose nominations closed, and closes votes whose deadline passed. */
  async settleDue(): Promise<number> {
    const at = this.c.clock.now();
    let changed = 0;
    for (const due of await proposals.listDueProposals(this.c.db, at)) {
      const pending: Array<() => Promise<void>> = [];
      await this.c.db.transaction(async (tx) => {
        const p = await proposals.findProposal(tx, due.id, true);
        if (!p) return;
        if (p.status === 'nominating' && p.votingOpensAt <= at) {
          const standing = (await proposals.listNominations(tx, p.id)).filter((n) => n.accepted);
          const eligible = p.circleId !== null ? (await circleMemberIds(tx, p.circleId)).length : p.eligible;
          const policy = p.circleId !== null ? await findPolicy(tx, p.circleId) : undefined;
          if (standing.length === 0) {
            await proposals.updateProposal(tx, p.id, { status: 'no_quorum', decidedAt: at, outcome: { turnout: 0, totals: {}, quorumMet: false, carries: false, winners: [], objections: 0, note: 'Nobody stood for election.' } });
            await appendLog(tx, { circleId: p.circleId, at, event: 'proposal_closed', summary: `${p.title}: nobody stood, so no vote was held.`, proposalId: p.id });
          } else {
            await proposals.updateProposal(tx, p.id, { status: 'open', eligible, quorum: quorumFor(eligible, policy?.quorumPercent ?? 20) });
            await appendLog(tx, { circleId: p.circleId, at, event: 'voting_opened', summary: `${p.title}: voting is open (${standing.map((s) => `@${s.handle}`).join(', ')} standing).`, proposalId: p.id });
            const place = await circlePlace(tx, p.circleId);
            await tellCircle(this.c.notifier, tx, p.circleId, { kind: 'vote.opened', circleId: p.circleId, link: `/proposals/${p.id}`, details: { title: p.title, ...(place.name ? { circle: place.name } : {}) } });
          }
          changed += 1;
          return;
        }
        if (p.status !== 'open' || p.deadline > at) return;
        const ballots = await proposals.listBallots(tx, p.id);
        const candidates = (await proposals.listNominations(tx, p.id)).filter((n) => n.accepted).map((n) => String(n.memberId));
        const t = tally({ kind: p.kind, mode: p.mode, ballots, quorum: p.quorum, candidates, seats: p.payload.seats ?? 1 });
        const closing = close(t, p.quorumFallback, p.extended);
        if (closing.status === 'extend') {
          const length = p.deadline.getTime() - p.votingOpensAt.getTime();
          await proposals.updateProposal(tx, p.id, { status: 'open', extended: true, deadline: new Date(p.deadline.getTime() + length) });
          await appendLog(tx, { circleId: p.circleId, at, event: 'vote_extended', summary: `${p.title}: ${closing.note}`, proposalId: p.id });
          changed += 1;
          return;
        }
        await proposals.updateProposal(tx, p.id, { status: closing.status, decidedAt: at, outcome: { ...t, note: closing.note } });
        const result = closing.status === 'passed' ? await this.carryOut(tx, p, t.winners, at, pending) : await this.notCarried(tx, p, pending);
        const words = { passed: 'passed', rejected: 'did not pass', advisory: 'closed as advice only', no_quorum: 'closed without enough votes' }[closing.status];
        await appendLog(tx, {
          circleId: p.circleId,
          at,
          event: 'proposal_closed',
          summary: `${p.title}: ${words} (${t.turnout} of ${p.eligible} voted).${result ? ` ${result}` : ''}${closing.note ? ` ${closing.note}` : ''}`,
          proposalId: p.id,
        });
        const place = await circlePlace(tx, p.circleId);
        await tellCircle(this.c.notifier, tx, p.circleId, { kind: 'vote.outcome', circleId: p.circleId, link: `/proposals/${p.id}`, details: { title: p.title, outcome: words, ...(place.name ? { circle: place.name } : {}) } });
        changed += 1;
      });
      await this.actions.flush(pending);
    }
    return changed;
  }

  private async carryOut(tx: Transaction, p: Proposal, winners: string[], at: Date, pending: Array<() => Promise<void>>): Promise<string> {
    switch (p.kind) {
      case 'election': {
        const policy = await findPolicy(tx, p.circleId!);
        const ends = hoursFrom(at, policy.termDays * DAY_HOURS);
        const handles: string[] = [];
        for (const w of winners) {
          const id = Number(w);
          // Someone re-elected starts a fresh term.
          await tx.query('UPDATE moderator_terms SET ends_at = $3 WHERE circle_id = $1 AND member_id = $2 AND ended_at IS NULL AND ends_at > $3', [p.circleId, id, at]);
          await seatModerator(tx, { circleId: p.circleId!, memberId: id, startsAt: at, endsAt: ends, proposalId: p.id });
          handles.push(...(await this.actions.handles(tx, [id])).map((h) => `@${h}`));
        }
        return `Elected for ${policy.termDays} days: ${handles.join(', ')}.`;
      }
      case 'recall':
        if (p.payload.termId !== undefined) await endTerm(tx, p.payload.termId, at, 'recalled');
        return 'Their term as a moderator has ended.';
      case 'agreements': {
        // The starting agreements become version 1 the first time members change them.
        if ((await listAgreementVersions(tx, p.circleId)).length === 0) {
          await insertAgreementVersion(tx, { circleId: p.circleId, items: [...DEFAULT_AGREEMENTS], proposalId: null, at });
        }
        const version = await insertAgreementVersion(tx, { circleId: p.circleId, items: p.payload.items ?? [], proposalId: p.id, at });
        return `The agreements are now at version ${version}.`;
      }
      case 'instance_block': {
        const host = p.payload.host!;
        const action = await actions.insertAction(tx, {
          circleId: null, kind: 'block_instance', status: 'standing', postId: null, threadId: null, memberId: null, remoteActorId: null,
          remoteHost: host, reportId: null, agreement: 'Decided by a member vote', reason: p.title, detail: { proposalId: p.id },
          withholdName: false, actedBy: p.createdBy, createdAt: at, confirmBy: null, effectiveAt: at, endsAt: null,
        });
        await actions.blockInstance(tx, host, action.id, at);
        return `${host} is blocked.`;
      }
      case 'action': {
        if (p.payload.actionId === undefined) return '';
        const emergency = (await actions.findAction(tx, p.payload.actionId))?.detail.emergency === true;
        await this.actions.apply(tx, p.payload.actionId, { type: 'vote_passed', alreadyInEffect: emergency }, pending);
        return emergency ? 'The emergency act stands.' : 'The action takes effect.';
      }
    }
  }

  private async notCarried(tx: Transaction, p: Proposal, pending: Array<() => Promise<void>>): Promise<string> {
    if (p.kind === 'action' && p.payload.actionId !== undefined) {
      const emergency = (await actions.findAction(tx, p.payload.actionId))?.detail.emergency === true;
      await this.actions.apply(tx, p.payload.actionId, { type: 'vote_failed', alreadyInEffect: emergency }, pending);
      return emergency ? 'The emergency act was undone.' : 'The action does not take effect.';
    }
    return '';
  }

  async view(proposalId: number, viewer: Member | undefined): Promise<ProposalView> {
    const proposal = await proposals.findProposal(this.c.db, proposalId);
    if (!proposal) throw new NotFoundError('That proposal isn’t here.');
    if (proposal.circleId !== null) {
      const circle = await circleById(this.c.db, proposal.circleId);
      if (!canSeeCircle(circle, viewer, !!viewer && (await isCircleMember(this.c.db, circle.id, viewer.id)))) throw new NotFoundError('That proposal isn’t here.');
    }
    const closed = !['nominating', 'open'].includes(proposal.status);
    const myBallot = viewer ? ((await proposals.findVote(this.c.db, proposal.id, viewer.id)) ?? null) : null;
    const canVote =
      !!viewer && viewer.status === 'active' && proposal.status === 'open' && (proposal.circleId === null || (await isCircleMember(this.c.db, proposal.circleId, viewer.id)));
    return {
      proposal,
      nominations: await proposals.listNominations(this.c.db, proposal.id),
      totals: closed ? (proposal.outcome?.totals ?? null) : null,
      turnout: closed ? (proposal.outcome?.turnout ?? null) : null,
      objections: proposal.mode === 'consent' && closed ? await proposals.objectionReasons(this.c.db, proposal.id) : [],
      myBallot,
      canVote,
    };
  }

  list(circleId: number | null): Promise<Proposal[]> {
    return proposals.listProposals(this.c.db, circleId, 50);
  }

  private async phase(tx: Transaction, id: number, status: Proposal['status'], message: string): Promise<Proposal> {
    const p = await proposals.findProposal(tx, id, true);
    if (!p) throw new NotFoundError('That proposal isn’t here.');
    if (p.status !== status) throw new ConflictError(message);
    return p;
  }
}

