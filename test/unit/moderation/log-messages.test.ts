import { expect } from 'chai';
import { msg } from '../../../src/i18n/message.js';
import { translate } from '../../../src/i18n/translate.js';
import { describeAction } from '../../../moderation/services/describe.js';
import { storedMessage } from '../../../moderation/storage/rows.js';

/** The public log's summaries as messages: the English reads as it always did, and a stored message is used only when Hearth still knows it. */
describe('the public log’s summaries as messages', () => {
  const en = (m: ReturnType<typeof msg>) => translate('en', m.key, m.values);

  it('words actions in English exactly as before', () => {
    const acted = (o: Parameters<typeof describeAction>[1], pending = false, emergency = false) =>
      en(msg('moderation.log.acted', { action: describeAction(o.awaiting ? 'remove_member' : 'lock_thread', o), pending: pending ? 'yes' : 'no', emergency: emergency ? 'yes' : 'no' }));
    expect(acted({ where: 'A rough week', hours: 168 }, true)).to.equal('Locked a thread in “A rough week” for 7 days. It stands only if a second moderator confirms it.');
    expect(acted({ where: 'A rough week', hours: 24 })).to.equal('Locked a thread in “A rough week” for 1 day.');
    expect(acted({ where: null, hours: 5 })).to.equal('Locked a thread for 5 hours.');
    expect(acted({ awaiting: true, host: 'social.example', hours: 1 })).to.equal('Proposed removing a member from the circle (social.example) for 1 hour.');
    expect(en(msg('moderation.log.confirmed', { action: describeAction('block_instance', { host: 'bad.example' }) }))).to.equal('A second moderator confirmed: Blocked another server (bad.example); it stands.');
    expect(en(msg('moderation.log.lapsed_undone', { action: describeAction('hide_post', {}) }))).to.equal('No second moderator confirmed in time, so this lapsed and was undone: Hid a post.');
  });

  it('uses a stored message only when every key in it is known', () => {
    const good = msg('moderation.log.ended', { action: describeAction('hide_post', {}) });
    expect(storedMessage(good)).to.deep.equal(good);
    expect(storedMessage(JSON.stringify(good))).to.deep.equal(good);
    expect(storedMessage(null)).to.equal(null);
    expect(storedMessage('{not json')).to.equal(null);
    expect(storedMessage({ key: 'moderation.log.gone_since' })).to.equal(null);
    expect(storedMessage({ key: 'moderation.log.ended', values: { action: { key: 'moderation.log.gone_since' } } })).to.equal(null);
    expect(translate('de', good.key, good.values)).to.equal('Die Zeit ist um, deshalb ist es beendet: Beitrag verborgen.');
  });
});
