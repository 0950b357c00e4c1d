import { expect } from 'chai';
import { ACTION_KINDS, durationHours, involvement, isLive, start, transition, TransitionRefused } from '../../../moderation/rules/action-rules.js';

describe('moderation action rules', () => {
  it('lets light actions stand at once, safety actions take effect pending a second moderator, and serious ones wait', () => {
    expect(start('add_content_warning')).to.deep.equal({ status: 'standing', effect: 'apply' });
    expect(start('message')).to.deep.equal({ status: 'standing', effect: 'apply' });
    expect(start('hide_post')).to.deep.equal({ status: 'pending', effect: 'apply' });
    expect(start('hold_member')).to.deep.equal({ status: 'pending', effect: 'apply' });
    expect(start('remove_member')).to.deep.equal({ status: 'awaiting', effect: 'none' });
    expect(start('block_instance')).to.deep.equal({ status: 'awaiting', effect: 'none' });
  });

  it('confirms, lapses, ends and overturns with the right effect on the world', () => {
    expect(transition('pending', { type: 'confirm' })).to.deep.equal({ status: 'standing', effect: 'extend' });
    expect(transition('awaiting', { type: 'confirm' })).to.deep.equal({ status: 'standing', effect: 'apply' });
    expect(transition('pending', { type: 'confirm_window_passed' })).to.deep.equal({ status: 'lapsed', effect: 'undo' });
    expect(transition('awaiting', { type: 'confirm_window_passed' })).to.deep.equal({ status: 'lapsed', effect: 'none' });
    expect(transition('standing', { type: 'time_up' })).to.deep.equal({ status: 'ended', effect: 'undo' });
    expect(transition('standing', { type: 'overturn' })).to.deep.equal({ status: 'overturned', effect: 'undo' });
    expect(transition('awaiting', { type: 'put_to_vote' })).to.deep.equal({ status: 'put_to_vote', effect: 'none' });
    expect(transition('put_to_vote', { type: 'vote_passed' })).to.deep.equal({ status: 'standing', effect: 'apply' });
    expect(transition('put_to_vote', { type: 'vote_failed' })).to.deep.equal({ status: 'declined', effect: 'none' });
  });

  it('refuses transitions that make no sense', () => {
    expect(() => transition('standing', { type: 'confirm' })).to.throw(TransitionRefused, 'moderation.error.already_confirmed');
    expect(() => transition('lapsed', { type: 'confirm' })).to.throw(TransitionRefused, 'moderation.error.no_longer_confirmable');
    expect(() => transition('standing', { type: 'confirm_window_passed' })).to.throw(TransitionRefused);
    expect(() => transition('lapsed', { type: 'overturn' })).to.throw(TransitionRefused);
    expect(() => transition('pending', { type: 'put_to_vote' })).to.throw(TransitionRefused);
    expect(() => transition('awaiting', { type: 'vote_passed' })).to.throw(TransitionRefused);
  });

  it('knows which statuses are still live', () => {
    expect(['awaiting', 'pending', 'standing', 'put_to_vote'].every((s) => isLive(s as never))).to.equal(true);
    expect(['lapsed', 'declined', 'ended', 'overturned'].some((s) => isLive(s as never))).to.equal(false);
  });

  it('keeps everyone who is part of a case from deciding it', () => {
    const parties = { reporterIds: [4], subjectIds: [7], actedBy: 2, confirmedBy: 3 };
    expect(involvement(7, parties)?.key).to.equal('moderation.error.case_about_you');
    expect(involvement(4, parties)?.key).to.equal('moderation.error.you_reported');
    expect(involvement(2, parties)?.key).to.equal('moderation.error.you_acted');
    expect(involvement(3, parties)?.key).to.equal('moderation.error.you_confirmed');
    expect(involvement(9, parties)).to.equal(null);
  });

  it('checks durations against each kind’s limits; nothing without a length is timed', () => {
    expect(durationHours('mute_member', undefined)).to.equal(ACTION_KINDS.mute_member.hours!.default);
    expect(durationHours('hide_post', 5)).to.equal(null);
    expect(() => durationHours('mute_member', 0)).to.throw(TransitionRefused);
    expect(() => durationHours('mute_member', 24 * 31)).to.throw(TransitionRefused);
    expect(() => durationHours('mute_member', 1.5)).to.throw(TransitionRefused);
    expect(durationHours('remove_member', 24 * 365)).to.equal(24 * 365);
  });
});
