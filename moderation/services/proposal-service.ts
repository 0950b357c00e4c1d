/**
 * One mechanism for the decisions a circle (or the instance) makes together:
 * elections, recalls, changes to the agreements, instance blocks, and serious
 * actions put to the members. Ballots are private; totals are public; the
 * outcome is computed, recorded in the log and applied.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import { isSteward } from '../../src/domain/members/member.js';
import type { Transaction } from '../../src/storage/database.js';
import { findMemberByHandle } from '../../src/storage/repositories/member-repository.js';
import { DEFAULT_AGREEMENTS, DEFAULT_SEATS, NOMINATION_DAYS, POLICY_LIMITS, VOTING_DAYS, type QuorumFallback } from '../policies/defaults.js';
import { handleProblem, normalizeHandle } from '../../src/domain/handles.js';
import { LIMITS } from '../../src/domain/limits.js';
import { optionalText, requiredText } from '../../src/domain/text-rules.js';
import { handleKind } from '../../src/storage/repositories/handle-repository.js';
import { insertCircle } from '../../src/storage/repositories/circle-repository.js';
import { agreementChangeTitle, applyAgreementChange, INSTANCE_SETTINGS, isInstanceSetting, parseSetting, settingLabel, settingText, settingWords, type AgreementChange } from '../rules/instance-rules.js';
import { msg, type MessageRef } from '../../src/i18n/message.js';
import { textIn, translate } from '../../src/i18n/translate.js';
import { findInstance } from '../../src/storage/repositories/instance-repository.js';
import { DEFAULT_LOCALE } from '../../src/i18n/locales.js';
import { policyChanges } from '../rules/policy-changes.js';
import {
  endStewardTerms, findInstanceRules, insertComment, listComments, listStewards, saveInstanceRules, setRole,
  type InstanceRules, type ProposalComment,
} from '../storage/instance-store.js';
import { checkBallot, close, quorumFor, tally, type ProposalKind, type ProposalMode } from '../rules/proposal-rules.js';
import * as actions from '../storage/actions-store.js';
import { findPolicy, insertAgreementVersion, listAgreementVersions, savePolicy } from '../storage/agreements-store.js';
import { appendLog } from '../storage/log-store.js';
import { circlePlace, tellCircle } from './notices.js';
import * as proposals from '../storage/proposals-store.js';
import { canSeeCircle } from '../../src/domain/circles/circle.js';
import { activeMemberIds, circleMemberIds, endMemberTerm, endTerm, findTerm, isCircleMember, joinCircle, memberHandle, seatModerator } from '../storage/roles-store.js';
import type { ModerationAction, Nomination, Proposal } from '../types.js';
import type { ActInput, ActionService } from './action-service.js';
import { isServerAddress } from '../rules/server-address.js';
import { StewardTerms } from './steward-terms.js';
import { assertModerates, circleById, circleBySlug, DAY_HOURS, hoursFrom, requireActive, type ModerationContext } from './context.js';

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
  /** Recall of a steward: their member id. */
  stewardId?: number | undefined;
  /** One agreement: amend, add or remove; its number; the new words. */
  change?: string | undefined;
  number?: number | undefined;
  text?: string | undefined;
  /** A new circle. */
  newSlug?: string | undefined;
  newName?: string | undefined;
  purpose?: string | undefined;
  visibility?: string | undefined;
  /** An instance rule and its new value. */
  setting?: string | undefined;
  value?: string | undefined;
  /** A circle's accountability rules (left empty: unchanged). */
  confirmHours?: string | undefined;
  termDays?: string | undefined;
  quorumPercent?: string | undefined;
  quorumFallback?: string | undefined;
}

const INSTANCE_KINDS: readonly ProposalKind[] = ['election', 'recall', 'agreements', 'agreement_change', 'new_circle', 'instance_setting', 'instance_block'];
const CIRCLE_KINDS: readonly ProposalKind[] = ['election', 'recall', 'agreements', 'agreement_change', 'circle_rules'];

function readAgreementChange(input: ProposalInput, errors: FieldErrors): AgreementChange | undefined {
  const text = optionalText(errors, 'text', input.text, msg('governance.label.agreement'), 500);
  const number = input.number;
  if (input.change === 'add' || input.change === 'amend') {
    if (!errors.text && text === '') errors.text = msg('governance.error.agreement_words');
  }
  if ((input.change === 'amend' || input.change === 'remove') && (number === undefined || !Number.isInteger(number) || number < 1)) {
    errors.number = msg('governance.error.agreement_number');
  }
  if (input.change === 'add') return { change: 'add', text };
  if (input.change === 'amend') return { change: 'amend', number: number ?? 0, text };
  if (input.change === 'remove') return { change: 'remove', number: number ?? 0 };
  errors.change = msg('governance.error.agreement_change');
  return undefined;
}

function readNewCircle(input: ProposalInput, errors: FieldErrors): NonNullable<Proposal['payload']['circle']> {
  const slug = normalizeHandle(input.newSlug ?? '');
  const slugIssue = handleProblem(slug, 'address');
  if (slugIssue) errors.newSlug = slugIssue;
  const name = requiredText(errors, 'newName', input.newName, msg('governance.label.name'), LIMITS.circleName);
  const purpose = optionalText(errors, 'purpose', input.purpose, msg('governance.label.purpose'), LIMITS.circlePurpose);
  const visibility = input.visibility || 'public';
  if (visibility !== 'public' && visibility !== 'members') errors.visibility = msg('governance.error.visibility');
  return { slug, name, purpose, visibility: visibility === 'members' ? 'members' : 'public' };
}

function readCircleRules(input: ProposalInput, errors: FieldErrors): NonNullable<Proposal['payload']['rules']> {
  const rules: NonNullable<Proposal['payload']['rules']> = {};
  const int = (field: 'confirmHours' | 'termDays' | 'quorumPercent', label: MessageRef): void => {
    const raw = (input[field] ?? '').trim();
    if (raw === '') return;
    const limits = POLICY_LIMITS[field];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < limits.min || n > limits.max) errors[field] = msg('governance.error.whole_number', { label, min: limits.min, max: limits.max });
    else rules[field] = n;
  };
  int('confirmHours', msg('governance.label.time_to_confirm'));
  int('termDays', msg('governance.label.term'));
  int('quorumPercent', msg('governance.label.quorum'));
  const fallback = input.quorumFallback ?? '';
  if (fallback === 'stands' || fallback === 'advisory' || fallback === 'extend') rules.quorumFallback = fallback;
  else if (fallback !== '') errors.quorumFallback = msg('governance.error.fallback');
  return rules;
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


export class ProposalService {
  /** The stewards' terms: seating those elected, ending terms, opening the next election. */
  readonly stewards: StewardTerms;

  constructor(
    private readonly c: ModerationContext,
    private readonly actions: ActionService,
  ) {
    this.stewards = new StewardTerms(c, (tx, p) => this.open(tx, p), (tx, ids) => this.actions.handles(tx, ids));
  }

  async propose(actor: Member | undefined, input: ProposalInput): Promise<Proposal> {
    const member = requireActive(actor);
    const kind = input.kind as ProposalKind;
    // instance_block is always about the whole instance; the rest belong where they were proposed.
    const instanceScope = kind === 'instance_block' || !input.circleSlug;
    const allowed = instanceScope ? INSTANCE_KINDS : CIRCLE_KINDS;
    if (!allowed.includes(kind)) throw new ValidationError({ kind: msg('governance.error.kind') });
    const errors: FieldErrors = {};
    const body = optionalText(errors, 'body', input.body, msg('governance.label.explanation'), 4000);
    const mode: ProposalMode = input.mode === 'consent' ? 'consent' : 'majority';
    if (input.mode !== undefined && input.mode !== 'consent' && input.mode !== 'majority') errors.mode = msg('governance.error.mode');
    if (kind === 'election' && mode === 'consent') errors.mode = msg('governance.error.election_consent');
    const votingDays = input.votingDays ?? VOTING_DAYS.default;
    if (!Number.isInteger(votingDays) || votingDays < VOTING_DAYS.min || votingDays > VOTING_DAYS.max) errors.votingDays = msg('governance.error.voting_days', { min: VOTING_DAYS.min, max: VOTING_DAYS.max });
    const nominationDays = input.nominationDays ?? NOMINATION_DAYS.default;
    if (kind === 'election' && (!Number.isInteger(nominationDays) || nominationDays < NOMINATION_DAYS.min || nominationDays > NOMINATION_DAYS.max)) {
      errors.nominationDays = msg('governance.error.nomination_days', { min: NOMINATION_DAYS.min, max: NOMINATION_DAYS.max });
    }
    const seats = input.seats ?? DEFAULT_SEATS;
    if (kind === 'election' && (!Number.isInteger(seats) || seats < 1 || seats > 9)) errors.seats = msg('governance.error.seats');
    let items: string[] | undefined;
    if (kind === 'agreements') {
      items = (input.agreements ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\d+[.)]\s*/, '')).filter((l) => l !== '');
      if (items.length === 0) errors.agreements = msg('governance.error.agreements_needed');
      else if (items.length > 30) errors.agreements = msg('governance.error.agreements_max');
      else if (items.some((i) => i.length > 500)) errors.agreements = msg('governance.error.agreement_length');
    }
    let host: string | undefined;
    if (kind === 'instance_block') {
      host = (input.host ?? '').trim().toLowerCase();
      if (!isServerAddress(host)) errors.host = msg('governance.error.host');
    }
    const change = kind === 'agreement_change' ? readAgreementChange(input, errors) : undefined;
    const newCircle = kind === 'new_circle' ? readNewCircle(input, errors) : undefined;
    let setting: { name: keyof InstanceRules; value: number | boolean } | undefined;
    if (kind === 'instance_setting') {
      const name = input.setting ?? '';
      if (!isInstanceSetting(name)) errors.setting = msg('governance.error.setting');
      else {
        const parsed = parseSetting(name, input.value ?? '');
        if ('problem' in parsed) errors.value = parsed.problem;
        else setting = { name, value: parsed.value };
      }
    }
    const rules = kind === 'circle_rules' ? readCircleRules(input, errors) : undefined;
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const at = this.c.clock.now();
    const created = await this.c.db.transaction(async (tx) => {
      const circle = instanceScope ? null : await circleBySlug(tx, input.circleSlug ?? '');
      const circleId = circle?.id ?? null;
      const where = circle ? circle.name : 'the instance';
      // Titles Hearth gives are written once, for everyone: in the instance's language.
      const lang = (await findInstance(tx))?.language ?? DEFAULT_LOCALE;
      const scope = { scope: circle ? 'circle' : 'instance', circle: circle?.name ?? '' };
      const member_ = circleId === null || (await isCircleMember(tx, circleId, member.id));
      if (!member_ && !(kind === 'election' && isSteward(member))) {
        throw new ForbiddenError(msg('governance.error.join_circle_to_propose'));
      }
      const payload: Proposal['payload'] = {};
      let title: string;
      if (kind === 'election') {
        if ((await proposals.openProposalsOfKind(tx, circleId, 'election')).length > 0) {
          throw new ConflictError(circle ? msg('governance.error.election_under_way_circle') : msg('governance.error.election_under_way_stewards'));
        }
        payload.seats = seats;
        title = circle ? translate(lang, 'governance.title.election_moderators', { circle: circle.name }) : translate(lang, 'governance.title.election_stewards');
      } else if (kind === 'recall' && circle) {
        const term = input.termId !== undefined ? await findTerm(tx, input.termId) : undefined;
        if (!term || term.circleId !== circleId || term.endedAt || term.endsAt <= at) throw new ValidationError({ termId: msg('governance.error.choose_moderator') });
        const handle = (await memberHandle(tx, term.memberId))!;
        payload.termId = term.id;
        payload.memberId = term.memberId;
        title = translate(lang, 'governance.title.recall_moderator', { handle, circle: circle.name });
      } else if (kind === 'recall') {
        const steward = (await listStewards(tx, at)).find((s) => s.memberId === input.stewardId);
        if (!steward) throw new ValidationError({ stewardId: msg('governance.error.choose_steward') });
        payload.memberId = steward.memberId;
        title = translate(lang, 'governance.title.recall_steward', { handle: steward.handle });
      } else if (kind === 'agreements') {
        payload.items = items!;
        title = translate(lang, 'governance.title.agreements', scope);
      } else if (kind === 'agreement_change') {
        const current = await this.currentAgreements(tx, circleId);
        const tried = applyAgreementChange(current, change!);
        if ('problem' in tried) throw new ValidationError({ number: tried.problem });
        Object.assign(payload, change);
        title = agreementChangeTitle(change!, circle?.name ?? null, lang);
      } else if (kind === 'new_circle') {
        if (await handleKind(tx, newCircle!.slug)) throw new ValidationError({ newSlug: msg('governance.error.address_taken') });
        payload.circle = newCircle!;
        title = translate(lang, 'governance.title.new_circle', { name: newCircle!.name });
      } else if (kind === 'instance_setting') {
        const before = await findInstanceRules(tx);
        if (before[setting!.name] === setting!.value) throw new ValidationError({ value: msg('governance.error.already_rule') });
        payload.setting = setting!.name;
        payload.value = setting!.value;
        title = translate(lang, 'governance.title.setting', { rule: INSTANCE_SETTINGS[setting!.name].label, value: settingText(setting!.name, setting!.value) });
      } else if (kind === 'circle_rules') {
        const before = await findPolicy(tx, circleId!);
        const changes = policyChanges(before, { ...before, ...rules });
        if (changes.length === 0) throw new ValidationError({ termDays: msg('governance.error.already_circle_rules') });
        payload.rules = rules!;
        title = `Change the rules of ${where}: ${changes.join('; ')}`.slice(0, 200);
      } else {
        payload.host = host!;
        title = translate(lang, 'governance.title.block', { host: host! });
      }
      const customTitle = optionalText({}, 'title', input.title, msg('governance.label.title'), 200);
      return this.open(tx, { circleId, kind, title: customTitle || title, body, mode, payload, createdBy: member.id, at, votingDays, nominationDays: kind === 'election' ? nominationDays : 0 });
    });
    return created;
  }

  /** The agreements in force: the latest version, or the starting ones. */
  private async currentAgreements(tx: Transaction, circleId: number | null): Promise<string[]> {
    const versions = await listAgreementVersions(tx, circleId);
    return versions[0]?.items ?? [...DEFAULT_AGREEMENTS];
  }

  /** Members discuss a proposal on its page; anyone who may vote on it may write. */
  async discuss(actor: Member | undefined, proposalId: number, text: string | undefined): Promise<void> {
    const member = requireActive(actor);
    const errors: FieldErrors = {};
    const body = optionalText(errors, 'comment', text, msg('governance.label.your_words'), 4000);
    if (!errors.comment && body === '') errors.comment = msg('governance.error.write_something');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await this.c.db.transaction(async (tx) => {
      const p = await proposals.findProposal(tx, proposalId);
      if (!p) throw new NotFoundError(msg('governance.error.proposal_not_here'));
      if (p.circleId !== null && !(await isCircleMember(tx, p.circleId, member.id))) throw new ForbiddenError(msg('governance.error.join_circle_to_discuss'));
      await insertComment(tx, { proposalId, memberId: member.id, body, at: this.c.clock.now() });
    });
  }

  discussion(proposalId: number): Promise<ProposalComment[]> {
    return listComments(this.c.db, proposalId);
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
      if (!action) throw new NotFoundError(msg('governance.error.action_not_here'));
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
      const p = await this.phase(tx, proposalId, 'nominating', msg('governance.error.nominations_closed'));
      if (p.kind !== 'election') throw new NotFoundError(msg('governance.error.not_election'));
      if (p.circleId !== null && !(await isCircleMember(tx, p.circleId, member.id))) throw new ForbiddenError(msg('governance.error.join_circle_to_nominate'));
      const clean = (handle ?? '').trim().replace(/^@/, '').toLowerCase();
      const nominee = clean ? await findMemberByHandle(tx, clean) : undefined;
      if (!nominee || nominee.status !== 'active') throw new ValidationError({ handle: msg('governance.error.no_such_member') });
      if (p.circleId !== null && !(await isCircleMember(tx, p.circleId, nominee.id))) throw new ValidationError({ handle: msg('governance.error.only_circle_members_stand') });
      // Standing yourself needs no confirming; others are asked first.
      if (!(await proposals.nominate(tx, p.id, nominee.id, member.id, nominee.id === member.id, at))) {
        throw new ConflictError(msg('governance.error.already_nominated'));
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
      await this.phase(tx, proposalId, 'nominating', msg('governance.error.nominations_closed'));
      if (!(await proposals.acceptNomination(tx, proposalId, member.id, accept))) throw new NotFoundError(msg('governance.error.not_nominated'));
    });
  }

  async vote(actor: Member | undefined, proposalId: number, choice: string | undefined, reason: string | undefined): Promise<'new' | 'changed'> {
    const member = requireActive(actor);
    const at = this.c.clock.now();
    return this.c.db.transaction(async (tx) => {
      const p = await this.phase(tx, proposalId, 'open', msg('governance.error.voting_closed'));
      if (p.deadline <= at) throw new ConflictError(msg('governance.error.deadline_passed'));
      const eligible = p.circleId !== null ? await isCircleMember(tx, p.circleId, member.id) : true;
      if (!eligible) throw new ForbiddenError(msg('governance.error.circle_members_vote'));
      if (p.kind === 'action' && p.payload.actionId !== undefined) {
        const action = await actions.findAction(tx, p.payload.actionId);
        if (action) await this.actions.assertUninvolved(tx, member.id, { ...action, actedBy: null, confirmedBy: null });
      }
      if (p.kind === 'recall' && p.payload.memberId === member.id) throw new ForbiddenError(msg('governance.error.vote_about_you'));
      const candidates = (await proposals.listNominations(tx, p.id)).filter((n) => n.accepted).map((n) => String(n.memberId));
      const errors: FieldErrors = {};
      const why = optionalText(errors, 'reason', reason, msg('governance.label.your_reason'), 1000);
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
        // What the decision did shows on the proposal's page too.
        if (result) await proposals.updateProposal(tx, p.id, { status: closing.status, outcome: { ...t, note: [closing.note, result].filter(Boolean).join(' ') } });
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
        if (p.circleId === null) return this.stewards.seat(tx, p, winners, at);
        const policy = await findPolicy(tx, p.circleId!);
        const ends = hoursFrom(at, policy.termDays * DAY_HOURS);
        const handles: string[] = [];
        for (const w of winners) {
          const id = Number(w);
          // Someone re-elected starts a fresh term.
          await endMemberTerm(tx, p.circleId, id, at);
          await seatModerator(tx, { circleId: p.circleId!, memberId: id, startsAt: at, endsAt: ends, proposalId: p.id });
          handles.push(...(await this.actions.handles(tx, [id])).map((h) => `@${h}`));
        }
        return `Elected for ${policy.termDays} days: ${handles.join(', ')}.`;
      }
      case 'recall':
        if (p.circleId === null) {
          if (p.payload.memberId === undefined) return '';
          await endStewardTerms(tx, p.payload.memberId, at, 'recalled');
          await setRole(tx, p.payload.memberId, 'member');
          return 'They are no longer a steward.';
        }
        if (p.payload.termId !== undefined) await endTerm(tx, p.payload.termId, at, 'recalled');
        return 'Their term as a moderator has ended.';
      case 'agreement_change': {
        const current = await this.currentAgreements(tx, p.circleId);
        const change = { change: p.payload.change, number: p.payload.number ?? 0, text: p.payload.text ?? '' } as AgreementChange;
        const next = applyAgreementChange(current, change);
        if ('problem' in next) return `The change could not be made: the agreements changed while it was open (${textIn('en', next.problem)})`;
        if ((await listAgreementVersions(tx, p.circleId)).length === 0) {
          await insertAgreementVersion(tx, { circleId: p.circleId, items: [...DEFAULT_AGREEMENTS], proposalId: null, at });
        }
        const version = await insertAgreementVersion(tx, { circleId: p.circleId, items: next.items, proposalId: p.id, at });
        return `The agreements are now at version ${version}.`;
      }
      case 'new_circle': {
        const c = p.payload.circle;
        if (!c) return '';
        if (await handleKind(tx, c.slug)) return `The circle could not be opened: the address ${c.slug} was taken in the meantime.`;
        const circle = await insertCircle(tx, { slug: c.slug, name: c.name, purpose: c.purpose, visibility: c.visibility, createdBy: p.createdBy });
        // The proposer founds it: a member of it, and its moderator until the first election.
        if (p.createdBy !== null) await joinCircle(tx, circle.id, p.createdBy, at);
        const founder = p.createdBy !== null ? await this.actions.handles(tx, [p.createdBy]) : [];
        await appendLog(tx, {
          circleId: null,
          at,
          event: 'circle_opened',
          summary: `Opened the circle ${c.name} (/c/${c.slug}), as the members decided${founder.length ? `; @${founder[0]} founds it and moderates it until its first election` : ''}.`,
          moderators: founder,
          proposalId: p.id,
        });
        return `The circle ${c.name} is open at /c/${c.slug}.`;
      }
      case 'instance_setting': {
        const name = p.payload.setting ?? '';
        if (!isInstanceSetting(name) || p.payload.value === undefined) return '';
        const before = await findInstanceRules(tx);
        await saveInstanceRules(tx, { ...before, [name]: p.payload.value }, at);
        const change = `${settingLabel(name).toLowerCase()}: ${settingWords(name, before[name])} → ${settingWords(name, p.payload.value)}`;
        await appendLog(tx, { circleId: null, at, event: 'instance_rules_changed', summary: `Changed the instance’s rules, as the members decided: ${change}.`, proposalId: p.id });
        return `Changed: ${change}.`;
      }
      case 'circle_rules': {
        if (p.circleId === null || !p.payload.rules) return '';
        const before = await findPolicy(tx, p.circleId);
        const after = { ...before, ...p.payload.rules };
        const changes = policyChanges(before, after);
        if (changes.length === 0) return 'The rules were already so.';
        await savePolicy(tx, p.circleId, after, at);
        // Every field changed, before → after, in the open.
        await appendLog(tx, { circleId: p.circleId, at, event: 'rules_changed', summary: `Changed the circle’s rules, as its members decided: ${changes.join('; ')}.`, proposalId: p.id });
        return `Changed: ${changes.join('; ')}.`;
      }
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

  /**
   * Seats elected stewards for the instance's term. Stewards serving without
   * an elected term (the first ones, or one made from the command line for
   * recovery) step back: their time ends with an election.
   */
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
    if (!proposal) throw new NotFoundError(msg('governance.error.proposal_not_here'));
    if (proposal.circleId !== null) {
      const circle = await circleById(this.c.db, proposal.circleId);
      if (!canSeeCircle(circle, viewer, !!viewer && (await isCircleMember(this.c.db, circle.id, viewer.id)))) throw new NotFoundError(msg('governance.error.proposal_not_here'));
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

  private async phase(tx: Transaction, id: number, status: Proposal['status'], message: MessageRef): Promise<Proposal> {
    const p = await proposals.findProposal(tx, id, true);
    if (!p) throw new NotFoundError(msg('governance.error.proposal_not_here'));
    if (p.status !== status) throw new ConflictError(message);
    return p;
  }
}

