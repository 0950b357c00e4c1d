import type { NotificationRow } from '../domain/notifications/notification.js';
import { REACTIONS } from '../domain/reactions/reaction.js';

function who(n: NotificationRow): string {
  if (!n.actor) return 'Someone';
  return n.actor.displayName.trim() !== '' ? n.actor.displayName : n.actor.handle;
}

function detail(n: NotificationRow, key: string): string | undefined {
  const v = n.details[key];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** In the thread's words: ` in “Title”`, or nothing when the thread is gone. */
function inThread(n: NotificationRow): string {
  return n.threadTitle ? ` in “${n.threadTitle}”` : '';
}

function inCircle(n: NotificationRow): string {
  const circle = detail(n, 'circle') ?? n.circleName;
  return circle ? ` in ${circle}` : '';
}

/**
 * What happened, in peer words, for one item of the notifications page.
 * Plain text: the view escapes it. Kinds written by other parts of Hearth
 * may give their own words in `details.text`.
 */
export function notificationWords(n: NotificationRow): string {
  const own = detail(n, 'text');
  if (own) return own;
  const title = detail(n, 'title');
  switch (n.kind) {
    case 'reply':
      return `${who(n)} replied${inThread(n)}`;
    case 'mention':
      return `${who(n)} mentioned you${inThread(n)}`;
    case 'reaction': {
      const label = REACTIONS.find((r) => r.kind === detail(n, 'reaction'))?.label ?? 'something kind';
      const people = n.count > 1 ? `${n.count} people` : who(n);
      return `${people} said “${label}” to your post${inThread(n)}`;
    }
    case 'thread.new':
      return `${who(n)} started “${n.threadTitle ?? 'a thread'}”${inCircle(n)}`;
    case 'post.new':
      return `${who(n)} posted${inThread(n)}`;
    case 'checkin.received':
      return `${who(n)} sent you a check-in`;
    case 'checkin.replied':
      return `${who(n)} answered your check-in`;
    case 'nomination':
      return `${who(n)} nominated you${title ? ` for ${title}` : ''}${inCircle(n)}`;
    case 'election.opened':
      return `An election opened${inCircle(n)}${title ? `: ${title}` : ''}`;
    case 'vote.opened':
      return `A vote opened${inCircle(n)}${title ? ` on “${title}”` : ''}`;
    case 'vote.outcome':
      return `A vote${inCircle(n)} has an outcome${title ? `: “${title}”` : ''}${detail(n, 'outcome') ? ` (${detail(n, 'outcome')})` : ''}`;
    case 'appeal.panel':
      return `You were asked to sit on an appeal panel${inCircle(n)}`;
    case 'appeal.decided':
      return `Your appeal was decided${detail(n, 'outcome') ? `: ${detail(n, 'outcome')}` : ''}`;
    case 'moderation.about_me':
      return `Moderators${inCircle(n)} took an action about you${detail(n, 'action') ? ` (${detail(n, 'action')})` : ''}. The log entry says why and how to appeal`;
    case 'join.answered':
      return detail(n, 'answer') === 'approved' ? `You’re welcome${inCircle(n)}: your request to join was accepted` : `Your request to join${inCircle(n)} was answered`;
    case 'meeting.reminder':
      return `A meeting you said you’d come to is soon${title ? `: ${title}` : ''}`;
    case 'conversation.request':
      return `${who(n)} would like to start a conversation with you`;
    case 'conversation.message':
      return `${who(n)} wrote in a conversation`;
  }
}
