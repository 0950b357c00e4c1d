/**
 * Appeals: the member an action affected can appeal it once. Moderators who
 * had no part in it decide; if fewer than two are left, a panel drawn at
 * random from volunteers does. An overturned action is undone.
 */
import { msg } from '../../src/i18n/message.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../src/domain/errors.js';
import type { Member } from '../../src/domain/members/member.js';
import { requiredText, optionalText } from '../../src/domain/text-rules.js';
import { isLive } from '../rules/action-rules.js';
import { chooseDeciders, outcome, type AppealDecision } from '../rules/appeal-rules.js';
import { findAction } from '../storage/actions-store.js';
import * as appeals from '../storage/appeals-store.js';
import { appendLog } from '../storage/log-store.js';
import { circleDetails, circlePlace, logEntryLink } from './notices.js';
import { stewardIds, volunteerIds } from '../storage/roles-store.js';
import type { Appeal, ModerationAction } from '../types.js';
import type { ActionService } from './action-service.js';
import { affectedMember, partiesOf } from './case-parties.js';
import { moderatorsOf, requireActive, type ModerationContext } from './context.js';
import { describeAction } from './describe.js';

export class AppealService {
  constructor(
    private readonly c: ModerationContext,
    private readonly actions: ActionService,
  ) {}

  async appeal(actor: Member | undefined, actionId: number, statement: string | undefined): Promise<Appeal> {
    const member = requireActive(actor);
    const errors: FieldErrors = {};
    const text = requiredText(errors, 'statement', statement, msg('moderation.label.appeal'), 4000);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.c.clock.now();
    const id = await this.c.db.transaction(async (tx) => {
      const action = await findAction(tx, actionId, true);
      if (!action) throw new NotFoundError(msg('moderation.missing.action'));
      const affected = affectedMember(action);
      if (affected !== member.id) throw new ForbiddenError(msg('moderation.error.only_affected_appeal'));
      if (await appeals.findAppealForAction(tx, action.id)) throw new ConflictError(msg('moderation.error.already_appealed'));
      if (!isLive(action.status) || action.status === 'awaiting' || action.status === 'put_to_vote') {
        throw new ConflictError(msg('moderation.error.nothing_to_appeal'));
      }
      const parties = await partiesOf(tx, action);
      const involved = new Set<number>([member.id, ...parties.reporterIds]);
      if (action.actedBy !== null) involved.add(action.actedBy);
      if (action.confirmedBy !== null) involved.add(action.confirmedBy);
      const mods = (await moderatorsOf(tx, action.circleId, at)).map((m) => m.memberId);
      const volunteers = await volunteerIds(tx, 'appeal_panel');
      let choice = chooseDeciders({ moderators: mods, volunteers, involved, random: this.c.random });
      if (choice.deciders.length === 0) {
        // Nobody volunteered yet: uninvolved stewards hear it rather than nobody.
        choice = { route: 'panel', deciders: (await stewardIds(tx)).filter((s) => !involved.has(s)).slice(0, 3) };
      }
      if (choice.deciders.length === 0) {
        throw new ConflictError(msg('moderation.error.nobody_to_hear'));
      }
      const appealId = await appeals.insertAppeal(tx, { actionId: action.id, memberId: member.id, statement: text, route: choice.route, deciders: choice.deciders, at });
      if (appealId === 0) throw new ConflictError(msg('moderation.error.already_appealed'));
      const place = await circlePlace(tx, action.circleId);
      await this.c.notifier.notifyAll(
        tx,
        choice.deciders.map((memberId) => ({ memberId, kind: 'appeal.panel' as const, circleId: action.circleId, link: '/moderation#appeals', details: circleDetails(place) })),
      );
      await appendLog(tx, {
        circleId: action.circleId,
        at,
        event: 'appealed',
        summary: msg(choice.route === 'moderators' ? 'moderation.log.appealed_to_moderators' : 'moderation.log.appealed_to_panel', {
          action: describeAction(action.kind, { host: action.remoteHost }),
        }),
        subject: action.withholdName ? null : member.handle,
        actionId: action.id,
        appealId,
      });
      return appealId;
    });
    return (await appeals.findAppeal(this.c.db, id))!;
  }

  async decide(actor: Member | undefined, appealId: number, decision: string, reason: string | undefined): Promise<Appeal> {
    const member = requireActive(actor);
    if (decision !== 'uphold' && decision !== 'overturn') throw new ValidationError({ decision: msg('moderation.error.choose_decision') });
    const errors: FieldErrors = {};
    const why = optionalText(errors, 'reason', reason, msg('moderation.label.decision_reason'), 2000);
    if (decision === 'overturn' && why === '') errors.reason = msg('moderation.error.say_why');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.c.clock.now();
    const pending: Array<() => Promise<void>> = [];
    await this.c.db.transaction(async (tx) => {
      const appeal = await appeals.findAppeal(tx, appealId, true);
      if (!appeal) throw new NotFoundError(msg('moderation.missing.appeal'));
      if (!appeal.deciders.some((d) => d.memberId === member.id)) throw new ForbiddenError(msg('moderation.error.only_deciders'));
      if (appeal.status !== 'open') throw new ConflictError(msg('moderation.error.appeal_decided'));
      if (!(await appeals.recordDecision(tx, appeal.id, member.id, decision, why, at))) throw new ConflictError(msg('moderation.error.already_decided'));
      const decisions = [...appeal.deciders.filter((d) => d.memberId !== member.id && d.decision).map((d) => d.decision!), decision as AppealDecision];
      const result = outcome(appeal.route, appeal.deciders.length, decisions);
      if (!result) return;
      const action = (await findAction(tx, appeal.actionId))!;
      if (result === 'overturn' && isLive(action.status)) await this.actions.apply(tx, action.id, { type: 'overturn' }, pending);
      await appeals.settleAppeal(tx, appeal.id, result === 'overturn' ? 'overturned' : 'upheld', at);
      const deciders = await this.actions.handles(tx, appeal.deciders.map((d) => d.memberId));
      const logId = await appendLog(tx, {
        circleId: action.circleId,
        at,
        event: result === 'overturn' ? 'appeal_overturned' : 'appeal_upheld',
        summary: msg(result === 'overturn' ? 'moderation.log.appeal_overturned' : 'moderation.log.appeal_upheld', {
          action: describeAction(action.kind, { host: action.remoteHost }),
        }),
        reason: why,
        moderators: appeal.route === 'moderators' ? deciders : [],
        subject: action.withholdName ? null : await this.actions.subjectOf(tx, action),
        actionId: action.id,
        appealId: appeal.id,
      });
      if (appeal.memberId !== null) await this.c.notifier.notify(tx, {
        memberId: appeal.memberId,
        kind: 'appeal.decided',
        circleId: action.circleId,
        link: logEntryLink(await circlePlace(tx, action.circleId), logId),
        details: { outcome: result === 'overturn' ? 'overturned' : 'stands' },
      });
    });
    await this.actions.flush(pending);
    return (await appeals.findAppeal(this.c.db, appealId))!;
  }

  /** Open appeals this member was chosen to hear, with the action and whether they already decided. */
  async toDecide(actor: Member | undefined): Promise<Array<Appeal & { action: ModerationAction; decided: boolean }>> {
    const member = requireActive(actor);
    const list = await appeals.appealsToDecide(this.c.db, member.id);
    const out = [];
    for (const a of list) {
      const action = await findAction(this.c.db, a.actionId);
      if (action) out.push({ ...a, action, decided: a.deciders.some((d) => d.memberId === member.id && d.decision !== null) });
    }
    return out;
  }

  forAction(actionId: number): Promise<Appeal | undefined> {
    return appeals.findAppealForAction(this.c.db, actionId);
  }
}
