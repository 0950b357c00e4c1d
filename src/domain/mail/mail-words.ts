import { htmlToPlainText } from '../../content/plain-text.js';
import type { MailedNotification } from '../../storage/repositories/mail-repository.js';
import type { OutgoingMail } from './mail.js';

/** How long a public post's excerpt in a mail may be. */
const EXCERPT_CHARACTERS = 240;

/** What one notification says in a mail: a sentence, where it leads, and (when allowed) a short excerpt. */
export interface MailLine {
  sentence: string;
  url: string;
  excerpt: string | null;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Conversations' kinds: their text never leaves the page unless the member said it may. */
const CONVERSATION_KINDS = new Set(['conversation.request', 'conversation.message']);

/**
 * The words for one notification. Titles and posts' text from members-only
 * circles and from conversations are left out unless the member opted in
 * (mail providers read mail); public circles' posts may give a short excerpt.
 */
export function mailLine(n: MailedNotification, publicUrl: URL, includePrivateText: boolean): MailLine {
  const isPrivate = n.circleVisibility !== 'public' || CONVERSATION_KINDS.has(n.kind);
  const textAllowed = !isPrivate || includePrivateText;
  const who = n.actorName ?? 'Someone';
  const circle = n.circleName ? ` in ${n.circleName}` : '';
  const thread = n.threadTitle && textAllowed ? ` “${n.threadTitle}”` : n.circleName ? ` a thread${circle}` : ' a thread';
  const count = typeof n.details.count === 'number' && n.details.count > 1 ? n.details.count : undefined;
  const sentence = ((): string => {
    switch (n.kind) {
      case 'reply':
        return `${who} replied in${thread}.`;
      case 'mention':
        return `${who} mentioned you in${thread}.`;
      case 'reaction':
        return count ? `${count} people reacted to your post in${thread}.` : `${who} reacted to your post in${thread}.`;
      case 'thread.new':
        return n.threadTitle && textAllowed ? `${who} started a new thread${circle}:${thread}.` : `${who} started a new thread${circle}.`;
      case 'post.new':
        return `${who} posted in${thread}.`;
      case 'checkin.received':
        return `${who} would like to check in with you.`;
      case 'checkin.replied':
        return `${who} replied to your check-in.`;
      case 'nomination':
        return `You were nominated${circle}.`;
      case 'election.opened':
        return `An election opened${circle}.`;
      case 'vote.opened':
        return `A vote on a proposal opened${circle}.`;
      case 'vote.outcome':
        return `An election or vote${circle} has its outcome.`;
      case 'appeal.panel':
        return 'You were asked to sit on an appeal panel. You can say yes or no.';
      case 'appeal.decided':
        return 'Your appeal was decided.';
      case 'moderation.about_me':
        return `A moderation decision${circle} is about you. The page says what happened and how to appeal.`;
      case 'join.answered':
        return `Your request to join${n.circleName ? ` ${n.circleName}` : ' a circle'} was answered.`;
      case 'meeting.reminder':
        return `A meeting you said you’d come to${circle} is soon.`;
      case 'conversation.request':
        return `${who} would like to start a conversation with you.`;
      case 'conversation.message':
        return `${who} sent a new message in a conversation with you.`;
      default:
        return 'Something happened that you asked to hear about.';
    }
  })();
  let excerpt: string | null = null;
  if (textAllowed && n.postHtml && !n.postHasWarning && !CONVERSATION_KINDS.has(n.kind)) {
    const text = htmlToPlainText(n.postHtml, EXCERPT_CHARACTERS + 1);
    excerpt = text.length > EXCERPT_CHARACTERS ? `${text.slice(0, EXCERPT_CHARACTERS - 1).trimEnd()}…` : text;
    if (excerpt === '') excerpt = null;
  }
  return { sentence, url: new URL(n.link, publicUrl).href, excerpt };
}

const PRIVATE_NOTE =
  'Text from members-only circles and conversations is left out of mail, because mail providers can read mail. You can change that in your mail settings.';

export interface MailFrame {
  instanceName: string;
  settingsUrl: string;
  unsubscribeUrl: string;
  /** What the unsubscribe link turns off, in words ("mail about replies"). */
  unsubscribeWhat: string;
  includePrivateText: boolean;
}

function frame(subject: string, intro: string, lines: MailLine[], f: MailFrame): Omit<OutgoingMail, 'to'> {
  const footerText = [
    f.includePrivateText ? '' : PRIVATE_NOTE,
    `Choose what reaches you by mail: ${f.settingsUrl}`,
    `Stop ${f.unsubscribeWhat}: ${f.unsubscribeUrl}`,
  ].filter((s) => s !== '');
  const text = [
    intro,
    '',
    ...lines.flatMap((l) => [`- ${l.sentence}`, ...(l.excerpt ? [`  “${l.excerpt}”`] : []), `  ${l.url}`, '']),
    '-- ',
    ...footerText,
  ].join('\n');
  const items = lines
    .map(
      (l) =>
        `<li><p>${escapeHtml(l.sentence)} <a href="${escapeHtml(l.url)}">Open it</a></p>${l.excerpt ? `<blockquote>${escapeHtml(l.excerpt)}</blockquote>` : ''}</li>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">
<p>${escapeHtml(intro)}</p>
<ul>
${items}
</ul>
<hr>
${f.includePrivateText ? '' : `<p style="font-size: 0.9em;">${escapeHtml(PRIVATE_NOTE)}</p>`}
<p style="font-size: 0.9em;"><a href="${escapeHtml(f.settingsUrl)}">Choose what reaches you by mail</a> · <a href="${escapeHtml(f.unsubscribeUrl)}">Stop ${escapeHtml(f.unsubscribeWhat)}</a></p>
</body></html>`;
  return { subject, text, html };
}

/** One notification, right away. */
export function rightAwayMail(line: MailLine, f: MailFrame): Omit<OutgoingMail, 'to'> {
  const subject = line.sentence.length > 120 ? `${line.sentence.slice(0, 119)}…` : line.sentence;
  return frame(`${subject.replace(/\.$/, '')} (${f.instanceName})`, `Hello from ${f.instanceName}.`, [line], f);
}

/** Several notifications, collected for a day or a week. */
export function digestMail(cadence: 'daily' | 'weekly', lines: MailLine[], f: MailFrame): Omit<OutgoingMail, 'to'> {
  const span = cadence === 'daily' ? 'today' : 'this week';
  const subject = `What happened ${span} on ${f.instanceName}`;
  const intro = `Here is what happened ${span} on ${f.instanceName} that you asked to hear about (${lines.length === 1 ? 'one thing' : `${lines.length} things`}).`;
  return frame(subject, intro, lines, f);
}

/** The one-time link that checks an address belongs to the member. */
export function verificationMail(instanceName: string, handle: string, url: string): Omit<OutgoingMail, 'to'> {
  const text = [
    `Hello @${handle},`,
    '',
    `You added this address on ${instanceName}. To let Hearth send mail here, open this link (it works once, for a day):`,
    url,
    '',
    'If that wasn’t you, you can ignore this mail: nothing will be sent here.',
  ].join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Check your address</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">
<p>Hello @${escapeHtml(handle)},</p>
<p>You added this address on ${escapeHtml(instanceName)}. To let Hearth send mail here, open this link (it works once, for a day):</p>
<p><a href="${escapeHtml(url)}">Yes, this is my address</a></p>
<p>If that wasn’t you, you can ignore this mail: nothing will be sent here.</p>
</body></html>`;
  return { subject: `Check your address for ${instanceName}`, text, html };
}

/** "Forgot my password": a one-time reset link, valid for an hour. */
export function passwordResetMail(instanceName: string, handle: string, url: string): Omit<OutgoingMail, 'to'> {
  const text = [
    `Hello @${handle},`,
    '',
    `Someone (hopefully you) asked for a new password on ${instanceName}. This link lets you choose one; it works once, within the next hour:`,
    url,
    '',
    'If you didn’t ask, you can ignore this mail: your password stays as it is.',
  ].join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Choose a new password</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">
<p>Hello @${escapeHtml(handle)},</p>
<p>Someone (hopefully you) asked for a new password on ${escapeHtml(instanceName)}. This link lets you choose one; it works once, within the next hour:</p>
<p><a href="${escapeHtml(url)}">Choose a new password</a></p>
<p>If you didn’t ask, you can ignore this mail: your password stays as it is.</p>
</body></html>`;
  return { subject: `Choose a new password for ${instanceName}`, text, html };
}
