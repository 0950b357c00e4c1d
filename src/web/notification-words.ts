import type { NotificationRow } from '../domain/notifications/notification.js';
import { msg, type MessageRef } from '../i18n/message.js';
import type { Text } from '../i18n/translate.js';

function detail(n: NotificationRow, key: string): string | undefined {
  const v = n.details[key];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** Who did it: their name, or "Someone". */
function who(n: NotificationRow): Text {
  if (!n.actor) return msg('staying.notification.someone');
  return n.actor.displayName.trim() !== '' ? n.actor.displayName : n.actor.handle;
}

/** The place, for messages that say where: a thread's title, else a circle's name, else nothing. */
function where(n: NotificationRow, prefer: 'thread' | 'circle') {
  const circle = detail(n, 'circle') ?? n.circleName ?? '';
  const thread = n.threadTitle ?? '';
  const place = prefer === 'thread' && thread !== '' ? 'thread' : circle !== '' ? 'circle' : 'none';
  return { place, thread, circle };
}

const REACTION_NAMES: Record<string, MessageRef> = {
  hear: msg('common.reaction.hear'),
  me_too: msg('common.reaction.me_too'),
  thinking: msg('common.reaction.thinking'),
  thanks: msg('common.reaction.thanks'),
};

/**
 * What happened, in peer words, for one item of the notifications page: a
 * message the page puts into the reader's language. Older rows may carry
 * their own words in `details.text` (shown as they are).
 */
export function notificationWords(n: NotificationRow): Text {
  const own = detail(n, 'text');
  if (own) return own;
  const title = detail(n, 'title') ?? '';
  const hasTitle = title !== '' ? 'yes' : 'no';
  const outcome = detail(n, 'outcome') ?? '';
  switch (n.kind) {
    case 'reply':
      return msg('staying.notification.reply', { who: who(n), ...where(n, 'thread') });
    case 'mention':
      return msg('staying.notification.mention', { who: who(n), ...where(n, 'thread') });
    case 'reaction':
      return msg('staying.notification.reaction', {
        who: who(n),
        count: n.count,
        reaction: REACTION_NAMES[detail(n, 'reaction') ?? ''] ?? msg('staying.notification.something_kind'),
        ...where(n, 'thread'),
      });
    case 'thread.new':
      return msg('staying.notification.thread_new', { who: who(n), title: n.threadTitle ?? '', hasTitle: n.threadTitle ? 'yes' : 'no', ...where(n, 'circle') });
    case 'post.new':
      return msg('staying.notification.post_new', { who: who(n), ...where(n, 'thread') });
    case 'checkin.received':
      return msg('staying.notification.checkin_received', { who: who(n) });
    case 'checkin.replied':
      return msg('staying.notification.checkin_replied', { who: who(n) });
    case 'nomination':
      return msg('staying.notification.nomination', { who: who(n), title, hasTitle, ...where(n, 'circle') });
    case 'election.opened':
      return msg('staying.notification.election_opened', { title, hasTitle, ...where(n, 'circle') });
    case 'vote.opened':
      return msg('staying.notification.vote_opened', { title, hasTitle, ...where(n, 'circle') });
    case 'vote.outcome':
      return msg('staying.notification.vote_outcome', { title, hasTitle, outcome, hasOutcome: outcome !== '' ? 'yes' : 'no', ...where(n, 'circle') });
    case 'appeal.panel':
      return msg('staying.notification.appeal_panel', where(n, 'circle'));
    case 'appeal.decided':
      return msg('staying.notification.appeal_decided', { outcome: appealOutcome(outcome), hasOutcome: outcome !== '' ? 'yes' : 'no' });
    case 'moderation.about_me': {
      // Newer rows name the action's kind (worded in the reader's language); older ones carry English words.
      const kind = detail(n, 'actionKind');
      const action: Text = kind ? msg('staying.notification.action_kind', { kind }) : (detail(n, 'action') ?? '');
      return msg('staying.notification.moderation_about_me', { action, hasAction: action !== '' ? 'yes' : 'no', ...where(n, 'circle') });
    }
    case 'join.answered':
      return msg(detail(n, 'answer') === 'approved' ? 'staying.notification.join_approved' : 'staying.notification.join_answered', where(n, 'circle'));
    case 'meeting.reminder':
      return msg('staying.notification.meeting_reminder', { title, hasTitle });
    case 'conversation.request':
      return msg('staying.notification.conversation_request', { who: who(n) });
    case 'conversation.message':
      return msg('staying.notification.conversation_message', { who: who(n) });
  }
}

/** An appeal's outcome: a code ('overturned', 'stands') in newer rows, English words in older ones. */
function appealOutcome(outcome: string): Text {
  if (outcome === 'overturned') return msg('staying.notification.appeal_overturned');
  if (outcome === 'stands') return msg('staying.notification.appeal_stands');
  return outcome;
}
