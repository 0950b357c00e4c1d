/**
 * The instance as its members govern it: who the stewards are and until
 * when, the instance's rules (each changed by proposal), and the welcome
 * team of volunteers who decide requests to join when the members chose one.
 */
import type { Member } from '../../src/domain/members/member.js';
import { isSteward } from '../../src/domain/members/member.js';
import type { Queryable } from '../../src/storage/database.js';
import type { MessageRef } from '../../src/i18n/message.js';
import { INSTANCE_SETTINGS, settingText } from '../rules/instance-rules.js';
import { anyStewardElected, findInstanceRules, instanceCreatedAt, listStewards, type InstanceRules, type StewardRow } from '../storage/instance-store.js';
import { handlesInOrder, setVolunteer, volunteerIds, volunteerRoles } from '../storage/roles-store.js';
import { hoursFrom, requireActive, type ModerationContext } from './context.js';

export interface StewardsOverview {
  stewards: Array<StewardRow & { first: boolean }>;
  /** While nobody has been elected: when the first stewards' time ends (an election opens then). */
  firstStewardsUntil: Date | null;
  rules: InstanceRules;
  /** Each rule in words, for the page. */
  ruleList: Array<{ name: keyof InstanceRules; label: MessageRef; words: MessageRef }>;
  welcomeTeam: string[];
}

export class InstanceGovernance {
  constructor(private readonly c: ModerationContext) {}

  rules(): Promise<InstanceRules> {
    return findInstanceRules(this.c.db);
  }

  async overview(): Promise<StewardsOverview> {
    const at = this.c.clock.now();
    const rules = await findInstanceRules(this.c.db);
    const since = await instanceCreatedAt(this.c.db);
    const elected = await anyStewardElected(this.c.db);
    const team = await volunteerIds(this.c.db, 'welcome');
    const handles = team.length ? await handlesInOrder(this.c.db, team) : [];
    return {
      stewards: (await listStewards(this.c.db, at)).map((s) => ({ ...s, first: s.termId === null })),
      firstStewardsUntil: !elected && since ? hoursFrom(since, rules.firstStewardDays * 24) : null,
      rules,
      ruleList: (Object.keys(INSTANCE_SETTINGS) as Array<keyof InstanceRules>).map((name) => ({ name, label: INSTANCE_SETTINGS[name].label, words: settingText(name, rules[name]) })),
      welcomeTeam: handles,
    };
  }

  async onWelcomeTeam(actor: Member | undefined): Promise<boolean> {
    if (!actor || actor.status !== 'active') return false;
    return (await volunteerRoles(this.c.db, actor.id)).has('welcome');
  }

  /** A member offers (or stops offering) to welcome people who ask to join. */
  async setWelcomeVolunteer(actor: Member | undefined, on: boolean): Promise<void> {
    const member = requireActive(actor);
    await setVolunteer(this.c.db, member.id, 'welcome', on);
  }
}

/** Who decides requests to join and who makes invite links, as the instance's rules say (MemberService's port). */
export const instanceJoiningRules = {
  async decidesJoins(q: Queryable, member: Member): Promise<'steward' | 'welcome team' | null> {
    if (isSteward(member)) return 'steward';
    if (member.status !== 'active' || !(await findInstanceRules(q)).welcomeTeam) return null;
    return (await volunteerRoles(q, member.id)).has('welcome') ? 'welcome team' : null;
  },
  async mayInvite(q: Queryable, member: Member): Promise<boolean> {
    if (isSteward(member)) return true;
    return member.status === 'active' && (await findInstanceRules(q)).memberInvites;
  },
};

/** Whether the members let stewards open circles without a proposal (CircleService's port). */
export async function stewardsMayOpenCircles(q: Queryable): Promise<boolean> {
  return (await findInstanceRules(q)).stewardsOpenCircles;
}
