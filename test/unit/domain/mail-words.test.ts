import { expect } from 'chai';
import { digestMail, mailLine, passwordResetMail, rightAwayMail, verificationMail, type MailFrame } from '../../../src/domain/mail/mail-words.js';
import { msg } from '../../../src/i18n/message.js';
import type { MailedNotification } from '../../../src/storage/repositories/mail-repository.js';

const URL_BASE = new URL('https://hearth.example');

const notification = (over: Partial<MailedNotification>): MailedNotification => ({
  id: 1,
  kind: 'reply',
  link: '/c/voices/t/1#post-2',
  details: {},
  createdAt: new Date('2026-01-05T10:00:00Z'),
  actorName: 'Sam',
  circleName: 'Voices',
  circleVisibility: 'public',
  threadTitle: 'Evening walks',
  postHtml: '<p>See you there.</p>',
  postHasWarning: false,
  ...over,
});

const frame = (locale: MailFrame['locale']): MailFrame => ({
  instanceName: 'Tuesday Group',
  settingsUrl: 'https://hearth.example/settings/mail',
  unsubscribeUrl: 'https://hearth.example/mail/unsubscribe?token=t',
  unsubscribeWhat: msg('accounts.email.what.like_this'),
  includePrivateText: false,
  locale,
});

describe('what e-mails say, in the recipient’s language', () => {
  it('keeps the English sentences, with the thread’s title only where it may be quoted', () => {
    expect(mailLine(notification({}), URL_BASE, false).sentence).to.equal('Sam replied in “Evening walks”.');
    expect(mailLine(notification({ circleVisibility: 'members' }), URL_BASE, false).sentence).to.equal('Sam replied in a thread in Voices.');
    expect(mailLine(notification({ circleVisibility: 'members', circleName: null }), URL_BASE, false).sentence).to.equal('Sam replied in a thread.');
    expect(mailLine(notification({ kind: 'reaction', details: { count: 3 } }), URL_BASE, false).sentence).to.equal('3 people reacted to your post in “Evening walks”.');
    expect(mailLine(notification({ kind: 'thread.new' }), URL_BASE, false).sentence).to.equal('Sam started a new thread in Voices: “Evening walks”.');
    expect(mailLine(notification({ kind: 'nomination', circleName: null }), URL_BASE, false).sentence).to.equal('You were nominated.');
    expect(mailLine(notification({ kind: 'join.answered' }), URL_BASE, false).sentence).to.equal('Your request to join Voices was answered.');
    expect(mailLine(notification({ actorName: null, kind: 'checkin.received' }), URL_BASE, false).sentence).to.equal('Someone would like to check in with you.');
    expect(mailLine(notification({ kind: 'something.new' }), URL_BASE, false).sentence).to.equal('Something happened that you asked to hear about.');
  });

  it('writes a whole mail in German or Spanish, from subject to footer', () => {
    const line = mailLine(notification({}), URL_BASE, false, 'de');
    expect(line.sentence).to.equal('Sam hat in „Evening walks“ geantwortet.');
    const mail = rightAwayMail(line, frame('de'));
    expect(mail.subject).to.equal('Sam hat in „Evening walks“ geantwortet (Tuesday Group)');
    expect(mail.text).to.contain('Hallo von Tuesday Group.');
    expect(mail.text).to.contain('Abbestellen: Mails wie diese: https://hearth.example/mail/unsubscribe?token=t');
    expect(mail.html).to.contain('<html lang="de">');
    expect(mail.html).to.contain('>Öffnen</a>');
    expect(mail.text).not.to.match(/Hello|Choose what reaches you|Stop /);

    const digest = digestMail('weekly', [mailLine(notification({ kind: 'mention' }), URL_BASE, false, 'es')], frame('es'));
    expect(digest.subject).to.equal('Lo que pasó esta semana en Tuesday Group');
    expect(digest.text).to.contain('Sam te mencionó en «Evening walks».');
    expect(digest.text).to.contain('(una cosa)');
  });

  it('words the address check and the password link in the member’s language', () => {
    const en = verificationMail('Tuesday Group', 'wren', 'https://hearth.example/mail/verify?token=x');
    expect(en.subject).to.equal('Check your address for Tuesday Group');
    expect(en.text).to.contain('Hello @wren,');
    const de = passwordResetMail('Tuesday Group', 'wren', 'https://hearth.example/login/reset?token=x', 'de');
    expect(de.subject).to.equal('Wähle ein neues Passwort für Tuesday Group');
    expect(de.text).to.contain('Hallo @wren,');
    expect(de.html).to.contain('<a href="https://hearth.example/login/reset?token=x">Neues Passwort wählen</a>');
  });
});
