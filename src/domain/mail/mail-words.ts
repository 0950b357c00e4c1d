import { htmlToPlainText } from '../../content/plain-text.js';
import type { MailedNotification } from '../../storage/repositories/mail-repository.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { msg, type MessageRef, type MessageValues } from '../../i18n/message.js';
import type { MessageKey } from '../../i18n/messages/index.js';
import { translate } from '../../i18n/translate.js';
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

/** Where a post's sentence happens: its thread's title (when it may be quoted), its circle, or neither. */
type Place = 'titled' | 'circle' | 'none';

/** The sentence's message for each kind: whole sentences, chosen by `place` and `inCircle` inside each message. */
const SENTENCES: Partial<Record<string, MessageKey>> = {
  'reply': 'accounts.email.line.reply',
  'mention': 'accounts.email.line.mention',
  'thread.new': 'accounts.email.line.thread_new',
  'post.new': 'accounts.email.line.post_new',
  'checkin.received': 'accounts.email.line.checkin_received',
  'checkin.replied': 'accounts.email.line.checkin_replied',
  'nomination': 'accounts.email.line.nomination',
  'election.opened': 'accounts.email.line.election_opened',
  'vote.opened': 'accounts.email.line.vote_opened',
  'vote.outcome': 'accounts.email.line.vote_outcome',
  'appeal.panel': 'accounts.email.line.appeal_panel',
  'appeal.decided': 'accounts.email.line.appeal_decided',
  'moderation.about_me': 'accounts.email.line.moderation_about_me',
  'join.answered': 'accounts.email.line.join_answered',
  'meeting.reminder': 'accounts.email.line.meeting_reminder',
  'conversation.request': 'accounts.email.line.conversation_request',
  'conversation.message': 'accounts.email.line.conversation_message',
};

/**
 * The words for one notification, in the recipient's language. Titles and
 * posts' text from members-only circles and from conversations are left out
 * unless the member opted in (mail providers read mail); public circles'
 * posts may give a short excerpt.
 */
export function mailLine(n: MailedNotification, publicUrl: URL, includePrivateText: boolean, locale: Locale = DEFAULT_LOCALE): MailLine {
  const isPrivate = n.circleVisibility !== 'public' || CONVERSATION_KINDS.has(n.kind);
  const textAllowed = !isPrivate || includePrivateText;
  const titled = !!n.threadTitle && textAllowed;
  const place: Place = titled ? 'titled' : n.circleName ? 'circle' : 'none';
  const count = typeof n.details.count === 'number' && n.details.count > 1 ? n.details.count : undefined;
  const values = {
    who: n.actorName ?? msg('accounts.email.someone'),
    title: titled ? n.threadTitle! : '',
    circle: n.circleName ?? '',
    place,
    titled: titled ? 'yes' : 'no',
    inCircle: n.circleName ? 'yes' : 'no',
  };
  const key: MessageKey =
    n.kind === 'reaction'
      ? count
        ? 'accounts.email.line.reactions'
        : 'accounts.email.line.reaction'
      : (SENTENCES[n.kind] ?? 'accounts.email.line.other');
  const sentence = translate(locale, key, count ? { ...values, count } : values);
  let excerpt: string | null = null;
  if (textAllowed && n.postHtml && !n.postHasWarning && !CONVERSATION_KINDS.has(n.kind)) {
    const text = htmlToPlainText(n.postHtml, EXCERPT_CHARACTERS + 1);
    excerpt = text.length > EXCERPT_CHARACTERS ? `${text.slice(0, EXCERPT_CHARACTERS - 1).trimEnd()}…` : text;
    if (excerpt === '') excerpt = null;
  }
  return { sentence, url: new URL(n.link, publicUrl).href, excerpt };
}

export interface MailFrame {
  instanceName: string;
  settingsUrl: string;
  unsubscribeUrl: string;
  /** What the unsubscribe link turns off ("the daily digest"), in the recipient's language. */
  unsubscribeWhat: MessageRef;
  includePrivateText: boolean;
  /** The recipient's language: `member.language ?? instance.language`. */
  locale: Locale;
}

const PAGE_STYLE = 'font-family: sans-serif; line-height: 1.5; max-width: 40em;';

function frame(subject: string, intro: string, lines: MailLine[], f: MailFrame): Omit<OutgoingMail, 'to'> {
  const t = (key: MessageKey, values?: MessageValues) => translate(f.locale, key, values);
  const privateNote = t('accounts.email.private_note');
  const choose = t('accounts.email.choose');
  const stop = t('accounts.email.stop', { what: f.unsubscribeWhat });
  const footerText = [f.includePrivateText ? '' : privateNote, `${choose}: ${f.settingsUrl}`, `${stop}: ${f.unsubscribeUrl}`].filter((s) => s !== '');
  const text = [
    intro,
    '',
    ...lines.flatMap((l) => [`- ${l.sentence}`, ...(l.excerpt ? [`  “${l.excerpt}”`] : []), `  ${l.url}`, '']),
    '-- ',
    ...footerText,
  ].join('\n');
  const open = escapeHtml(t('accounts.email.open'));
  const items = lines
    .map((l) => `<li><p>${escapeHtml(l.sentence)} <a href="${escapeHtml(l.url)}">${open}</a></p>${l.excerpt ? `<blockquote>${escapeHtml(l.excerpt)}</blockquote>` : ''}</li>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="${f.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="${PAGE_STYLE}">
<p>${escapeHtml(intro)}</p>
<ul>
${items}
</ul>
<hr>
${f.includePrivateText ? '' : `<p style="font-size: 0.9em;">${escapeHtml(privateNote)}</p>`}
<p style="font-size: 0.9em;"><a href="${escapeHtml(f.settingsUrl)}">${escapeHtml(choose)}</a> · <a href="${escapeHtml(f.unsubscribeUrl)}">${escapeHtml(stop)}</a></p>
</body></html>`;
  return { subject, text, html };
}

/** One notification, right away. */
export function rightAwayMail(line: MailLine, f: MailFrame): Omit<OutgoingMail, 'to'> {
  const subject = line.sentence.length > 120 ? `${line.sentence.slice(0, 119)}…` : line.sentence;
  return frame(`${subject.replace(/\.$/, '')} (${f.instanceName})`, translate(f.locale, 'accounts.email.hello_from', { name: f.instanceName }), [line], f);
}

/** Several notifications, collected for a day or a week. */
export function digestMail(cadence: 'daily' | 'weekly', lines: MailLine[], f: MailFrame): Omit<OutgoingMail, 'to'> {
  const subject = translate(f.locale, 'accounts.email.digest_subject', { span: cadence, name: f.instanceName });
  const intro = translate(f.locale, 'accounts.email.digest_intro', { span: cadence, name: f.instanceName, count: lines.length });
  return frame(subject, intro, lines, f);
}

/** A short mail with one link: a greeting, what happened, the link, and what to do if it wasn't you. */
function linkMail(locale: Locale, title: string, paragraphs: { hello: string; what: string; link: string; ifNot: string }, url: string): Pick<OutgoingMail, 'text' | 'html'> {
  const text = [paragraphs.hello, '', paragraphs.what, url, '', paragraphs.ifNot].join('\n');
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="${PAGE_STYLE}">
<p>${escapeHtml(paragraphs.hello)}</p>
<p>${escapeHtml(paragraphs.what)}</p>
<p><a href="${escapeHtml(url)}">${escapeHtml(paragraphs.link)}</a></p>
<p>${escapeHtml(paragraphs.ifNot)}</p>
</body></html>`;
  return { text, html };
}

/** The one-time link that checks an address belongs to the member. */
export function verificationMail(instanceName: string, handle: string, url: string, locale: Locale = DEFAULT_LOCALE): Omit<OutgoingMail, 'to'> {
  const t = (key: MessageKey) => translate(locale, key, { handle, name: instanceName });
  return {
    subject: t('accounts.email.verify_subject'),
    ...linkMail(locale, t('accounts.email.verify_title'), { hello: t('accounts.email.hello'), what: t('accounts.email.verify_what'), link: t('accounts.email.verify_link'), ifNot: t('accounts.email.verify_if_not') }, url),
  };
}

/** "Forgot my password": a one-time reset link, valid for an hour. */
export function passwordResetMail(instanceName: string, handle: string, url: string, locale: Locale = DEFAULT_LOCALE): Omit<OutgoingMail, 'to'> {
  const t = (key: MessageKey) => translate(locale, key, { handle, name: instanceName });
  return {
    subject: t('accounts.email.reset_subject'),
    ...linkMail(locale, t('accounts.email.reset_title'), { hello: t('accounts.email.hello'), what: t('accounts.email.reset_what'), link: t('accounts.email.reset_title'), ifNot: t('accounts.email.reset_if_not') }, url),
  };
}
