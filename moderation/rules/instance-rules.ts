/**
 * The instance's rules members change by proposal, and single changes to a
 * list of agreements, free of storage.
 */
import { msg, type MessageRef } from '../../src/i18n/message.js';
import type { MessageKey } from '../../src/i18n/messages/index.js';
import type { Locale } from '../../src/i18n/locales.js';
import { textIn, translate } from '../../src/i18n/translate.js';
import type { InstanceRules } from '../storage/instance-store.js';

type BooleanRule = { type: 'boolean'; label: MessageRef; on: MessageRef; off: MessageRef };
/** `value`: the message that words a number of days (`{n}`). */
type NumberRule = { type: 'number'; label: MessageRef; min: number; max: number; value: MessageKey };

/** Each instance rule: how it reads, and what values it takes. */
export const INSTANCE_SETTINGS: Record<keyof InstanceRules, BooleanRule | NumberRule> = {
  welcomeTeam: { type: 'boolean', label: msg('governance.rule.welcome_team'), on: msg('governance.rule.welcome_team.on'), off: msg('governance.rule.welcome_team.off') },
  memberInvites: { type: 'boolean', label: msg('governance.rule.member_invites'), on: msg('governance.rule.member_invites.on'), off: msg('governance.rule.member_invites.off') },
  stewardsOpenCircles: {
    type: 'boolean',
    label: msg('governance.rule.stewards_open_circles'),
    on: msg('governance.rule.stewards_open_circles.on'),
    off: msg('governance.rule.stewards_open_circles.off'),
  },
  stewardTermDays: { type: 'number', label: msg('governance.rule.steward_term_days'), min: 30, max: 730, value: 'governance.rule.steward_term_days.value' },
  firstStewardDays: { type: 'number', label: msg('governance.rule.first_steward_days'), min: 7, max: 730, value: 'governance.rule.first_steward_days.value' },
};

export function isInstanceSetting(name: string): name is keyof InstanceRules {
  return Object.prototype.hasOwnProperty.call(INSTANCE_SETTINGS, name);
}

/** A rule's value as a message, e.g. "any member" or "365 days". */
export function settingText(name: keyof InstanceRules, value: number | boolean): MessageRef {
  const rule = INSTANCE_SETTINGS[name];
  if (rule.type === 'boolean') return value ? rule.on : rule.off;
  return msg(rule.value, { n: Number(value) });
}

/** A rule's value in English words, for what is stored (proposal titles, the log). */
export function settingWords(name: keyof InstanceRules, value: number | boolean): string {
  return textIn('en', settingText(name, value));
}

/** A rule's name in English, for what is stored. */
export function settingLabel(name: keyof InstanceRules): string {
  return textIn('en', INSTANCE_SETTINGS[name].label);
}

/** Reads a submitted value ("on"/"off", "yes"/"no", or a number); a message when it doesn't fit. */
export function parseSetting(name: keyof InstanceRules, raw: string): { value: number | boolean } | { problem: MessageRef } {
  const rule = INSTANCE_SETTINGS[name];
  const text = raw.trim().toLowerCase();
  if (rule.type === 'boolean') {
    if (['on', 'yes', 'true', '1'].includes(text)) return { value: true };
    if (['off', 'no', 'false', '0'].includes(text)) return { value: false };
    return { problem: msg('governance.error.choose_value') };
  }
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < rule.min || n > rule.max) return { problem: msg('governance.error.whole_number_range', { min: rule.min, max: rule.max }) };
  return { value: n };
}

export type AgreementChange = { change: 'amend'; number: number; text: string } | { change: 'add'; text: string } | { change: 'remove'; number: number };

/** The list after one change, or a message when the change no longer fits it (numbers count from 1). */
export function applyAgreementChange(items: readonly string[], c: AgreementChange): { items: string[] } | { problem: MessageRef } {
  const next = [...items];
  if (c.change === 'add') {
    if (next.length >= 30) return { problem: msg('governance.error.thirty_agreements') };
    next.push(c.text);
    return { items: next };
  }
  if (!Number.isInteger(c.number) || c.number < 1 || c.number > next.length) return { problem: msg('governance.error.no_agreement_number', { number: String(c.number) }) };
  if (c.change === 'amend') next[c.number - 1] = c.text;
  else {
    if (next.length === 1) return { problem: msg('governance.error.last_agreement') };
    next.splice(c.number - 1, 1);
  }
  return { items: next };
}

/** A short title for an agreement change, for a circle (by name) or the instance (null). */
export function agreementChangeTitle(c: AgreementChange, circle: string | null, locale: Locale = 'en'): string {
  const scope = { scope: circle === null ? 'instance' : 'circle', circle: circle ?? '' };
  if (c.change === 'add') return translate(locale, 'governance.title.agreement_add', scope);
  return translate(locale, c.change === 'amend' ? 'governance.title.agreement_amend' : 'governance.title.agreement_remove', { ...scope, number: String(c.number) });
}
