/**
 * Hearth's peer-moderation module. This file is its only public face: the web
 * and federation layers call what it exports, never its internals.
 *
 * - reports (report-service), the review queue and a circle's governance
 *   (circle-governance), actions under the two-person rule (action-service),
 *   appeals (appeal-service), proposals and votes (proposal-service), and the
 *   rules posts pass, blocks and moderators' messages (safety-service);
 *   peers' check-ins are not moderation and live in src/domain/check-ins;
 * - rules/ holds the state machines, free of storage, unit-tested;
 * - policies/ holds the defaults a circle starts with;
 * - storage/ holds the SQL (tables in src/storage/migrations/0010_moderation.sql).
 */
import type { Clock } from '../src/domain/clock.js';
import type { DomainEvents } from '../src/domain/events.js';
import type { Database, Queryable } from '../src/storage/database.js';
import { appendLog } from './storage/log-store.js';
import { isInstanceBlocked, listBlockedInstances } from './storage/actions-store.js';
import { blockedBetween, blockedPairs, blockRelations } from './storage/safety-store.js';
import type { MemberBlocks } from '../src/domain/members/member-blocks.js';
import { ActionService } from './services/action-service.js';
import { AppealService } from './services/appeal-service.js';
import { CircleGovernance } from './services/circle-governance.js';
import { ProposalService } from './services/proposal-service.js';
import { InstanceGovernance } from './services/instance-governance.js';
import { ReportService } from './services/report-service.js';
import { SafetyService } from './services/safety-service.js';
import { silentNotifier, type NotifierPort } from './services/notices.js';

export interface IncomingContent {
  /** The server the content comes from, e.g. "mastodon.example". */
  originHost: string;
  /** The remote actor who wrote or sent it. */
  actorId: string;
}

export type GateDecision = { accept: true } | { accept: false; reason: string };

/** Decides whether content from another server may enter. */
export interface ModerationGate {
  admit(content: IncomingContent): Promise<GateDecision>;
}

/** Lets everything through except what an instance-level block refuses. */
export function createModerationGate(isBlocked: (host: string) => Promise<boolean>): ModerationGate {
  return {
    async admit(content) {
      if (await isBlocked(content.originHost.toLowerCase())) {
        return { accept: false, reason: 'This instance does not accept content from that server.' };
      }
      return { accept: true };
    },
  };
}

export interface Moderation {
  reports: ReportService;
  actions: ActionService;
  appeals: AppealService;
  proposals: ProposalService;
  governance: CircleGovernance;
  /** The instance as its members govern it: stewards, the instance's rules, the welcome team. */
  instance: InstanceGovernance;
  safety: SafetyService;
  gate: ModerationGate;
  /** Whether nothing may be delivered to, or accepted from, this server. */
  isBlockedHost(host: string): Promise<boolean>;
  blockedHosts(): Promise<string[]>;
  /** Lapses and ends actions, opens and closes votes whose time has come. The server runs it every minute. */
  settleDue(): Promise<number>;
}

export function createModeration(o: { db: Database; clock: Clock; events: DomainEvents; random?: () => number; notifier?: NotifierPort }): Moderation {
  const c = { db: o.db, clock: o.clock, events: o.events, random: o.random ?? Math.random, notifier: o.notifier ?? silentNotifier };
  const actions = new ActionService(c);
  const isBlockedHost = (host: string) => isInstanceBlocked(o.db, host);
  return {
    reports: new ReportService(c),
    actions,
    appeals: new AppealService(c, actions),
    proposals: new ProposalService(c, actions),
    governance: new CircleGovernance(c, actions),
    instance: new InstanceGovernance(c),
    safety: new SafetyService(c),
    gate: createModerationGate(isBlockedHost),
    isBlockedHost,
    blockedHosts: () => listBlockedInstances(o.db),
    async settleDue() {
      const changed = await actions.settleDue();
      return changed + (await this.proposals.settleDue()) + (await this.proposals.stewards.settle());
    },
  };
}

/**
 * An entry in the instance's public moderation log about something done
 * outside this module (e.g. a steward making a password reset link). Written
 * inside the caller's transaction; it must never hold secrets.
 */
export async function appendInstanceLogEntry(
  q: Queryable,
  entry: { at: Date; event: string; summary: string; moderators?: string[]; subject?: string | null },
): Promise<void> {
  await appendLog(q, { circleId: null, ...entry });
}

export { instanceJoiningRules, stewardsMayOpenCircles, type StewardsOverview } from './services/instance-governance.js';
export { INSTANCE_SETTINGS } from './rules/instance-rules.js';
export { circleRulesProposal } from './services/circle-governance.js';
export type { InstanceRules, ProposalComment } from './storage/instance-store.js';
export { ACTION_KINDS, ACTION_KIND_NAMES, type ActionKind, type ActionStatus } from './rules/action-rules.js';
export { REPORT_REASONS, DEFAULT_AGREEMENTS, DEFAULT_POLICY, reasonLabel, type CirclePolicy } from './policies/defaults.js';
export { reportStatusText, type ReportStatus, type ReportOutcome } from './rules/report-rules.js';
export { moderationExportSections } from './services/member-export.js';

/**
 * Member blocks, for the rest of Hearth (the notifier, check-ins, search): the
 * only way outside moderation/ to read `member_blocks`. It needs no Moderation
 * (the notifier, which moderation uses, is built before it).
 */
export const memberBlocks: MemberBlocks = { relationsOf: blockRelations, between: blockedBetween, blockedPairs };
export type { ActInput } from './services/action-service.js';
export type { ProposalInput, ProposalView } from './services/proposal-service.js';
export type { ReviewQueue, QueueItem } from './services/circle-governance.js';
export type * from './types.js';
