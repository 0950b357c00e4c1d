/** Plain-words descriptions of actions for the public log, as messages each reader sees in their language. */
import { msg, type MessageRef } from '../../src/i18n/message.js';
import type { MessageKey } from '../../src/i18n/messages/index.js';
import type { ActionKind } from '../rules/action-rules.js';

/** Kinds that are proposed (a serious action waiting for a second moderator) in their own words. */
const PROPOSED: Partial<Record<ActionKind, MessageKey>> = {
  remove_member: 'moderation.log.proposed.remove_member',
  suspend_account: 'moderation.log.proposed.suspend_account',
  block_instance: 'moderation.log.proposed.block_instance',
};

/**
 * What was done, e.g. "Locked a thread in “A rough week” for 7 days" (no
 * full stop: the sentences around it have their own).
 */
export function describeAction(kind: ActionKind, o: { awaiting?: boolean; where?: string | null; host?: string | null; hours?: number | null }): MessageRef {
  const action = msg((o.awaiting ? PROPOSED[kind] : undefined) ?? `moderation.log.did.${kind}`);
  const hours = o.hours ?? 0;
  const unit = hours === 0 ? 'none' : hours % 24 === 0 ? 'days' : 'hours';
  return msg('moderation.log.described', {
    action,
    hasHost: o.host ? 'yes' : 'no',
    host: o.host ?? '',
    hasWhere: o.where ? 'yes' : 'no',
    where: o.where ?? '',
    unit,
    count: unit === 'days' ? hours / 24 : hours,
  });
}
