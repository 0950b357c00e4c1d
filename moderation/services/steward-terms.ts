/**
 * The stewards' terms (issue 12): members elect stewards for a term through
 * the instance's proposals; terms that run out end; the first stewards' stated
 * time passing opens an election. The last steward keeps serving until an
 * election seats someone. Proposals are opened through the proposal service.
 */
import type { Transaction } from '../../src/storage/database.js';
import { DEFAULT_LOCALE } from '../../src/i18n/locales.js';
import { translate } from '../../src/i18n/translate.js';
import { findInstance } from '../../src/storage/repositories/instance-repository.js';
import { DEFAULT_SEATS, NOMINATION_DAYS, VOTING_DAYS } from '../policies/defaults.js';
import { anyStewardElected, endStewardTerms, findInstanceRules, instanceCreatedAt, listStewards, seatSteward, setRole, stewardTermsRunOut } from '../storage/instance-store.js';
import { appendLog } from '../storage/log-store.js';
import * as proposals from '../storage/proposals-store.js';
import type { Proposal } from '../types.js';
import { DAY_HOURS, hoursFrom, type ModerationContext } from './context.js';
import type { ProposalService } from './proposal-service.js';

export class StewardTerms {
  constructor(
    private readonly c: ModerationContext,
    private readonly openElection: ProposalService['open'],
    private readonly handles: (tx: Transaction, ids: number[]) => Promise<string[]>,
  ) {}

  async seat(tx: Transaction, p: Proposal, winners: string[], at: Date): Promise<string> {
    const rules = await findInstanceRules(tx);
    const ends = hoursFrom(at, rules.stewardTermDays * DAY_HOURS);
    const elected = winners.map(Number);
    for (const id of elected) await seatSteward(tx, { memberId: id, startsAt: at, endsAt: ends, proposalId: p.id });
    const handles = (await this.handles(tx, elected)).map((h) => `@${h}`);
    const untermed = (await listStewards(tx, at)).filter((s) => s.termId === null && !elected.includes(s.memberId));
    for (const s of untermed) await setRole(tx, s.memberId, 'member');
    const stepped = untermed.length > 0 ? ` Serving until this election, ${untermed.map((s) => `@${s.handle}`).join(', ')} stepped back. Thank you for your care.` : '';
    return `Elected as stewards for ${rules.stewardTermDays} days: ${handles.join(', ')}.${stepped}`;
  }

  /**
   * Stewards' terms that ran out end; the first stewards' stated time passing
   * opens an election. The last steward keeps serving until an election seats
   * someone, so the instance is never left without anyone to look after it.
   */
  async settle(): Promise<number> {
    const at = this.c.clock.now();
    let changed = 0;
    await this.c.db.transaction(async (tx) => {
      const stewards = await listStewards(tx, at);
      let remaining = stewards.length;
      const runOut = await stewardTermsRunOut(tx, at);
      let needElection = false;
      for (const t of runOut) {
        if (remaining <= 1) {
          needElection = true;
          continue;
        }
        await endStewardTerms(tx, t.memberId, at, 'term_ended');
        await setRole(tx, t.memberId, 'member');
        remaining -= 1;
        await appendLog(tx, { circleId: null, at, event: 'steward_term_ended', summary: `@${t.handle}’s term as a steward ended. Thank you for your care.`, moderators: [t.handle] });
        changed += 1;
      }
      if (!(await anyStewardElected(tx))) {
        const rules = await findInstanceRules(tx);
        const since = await instanceCreatedAt(tx);
        if (since && hoursFrom(since, rules.firstStewardDays * DAY_HOURS) <= at) needElection = true;
      }
      if (needElection && (await proposals.openProposalsOfKind(tx, null, 'election')).length === 0) {
        // Written once, for everyone: in the instance's language.
        const lang = (await findInstance(tx))?.language ?? DEFAULT_LOCALE;
        await this.openElection(tx, {
          circleId: null, kind: 'election', title: translate(lang, 'governance.title.election_stewards'), mode: 'majority', payload: { seats: DEFAULT_SEATS }, createdBy: null, at,
          body: translate(lang, 'governance.title.steward_election_body'),
          votingDays: VOTING_DAYS.default, nominationDays: NOMINATION_DAYS.default,
        });
        changed += 1;
      }
    });
    return changed;
  }
}
