/**
 * The instance's rules members change by proposal, and single changes to a
 * list of agreements, free of storage.
 */
import type { InstanceRules } from '../storage/instance-store.js';

type BooleanRule = { type: 'boolean'; label: string; on: string; off: string };
type NumberRule = { type: 'number'; label: string; min: number; max: number; unit: string };

/** Each instance rule: how it reads, and what values it takes. */
export const INSTANCE_SETTINGS: Record<keyof InstanceRules, BooleanRule | NumberRule> = {
  welcomeTeam: { type: 'boolean', label: 'Who decides requests to join', on: 'a welcome team of volunteers, with the stewards', off: 'the stewards' },
  memberInvites: { type: 'boolean', label: 'Who can make invite links', on: 'any member', off: 'the stewards' },
  stewardsOpenCircles: { type: 'boolean', label: 'Opening a new circle', on: 'stewards may open one, or members by proposal', off: 'only by a members’ proposal' },
  stewardTermDays: { type: 'number', label: 'A steward’s term', min: 30, max: 730, unit: 'days' },
  firstStewardDays: { type: 'number', label: 'How long the first stewards serve before an election', min: 7, max: 730, unit: 'days after set-up' },
};

export function isInstanceSetting(name: string): name is keyof InstanceRules {
  return Object.prototype.hasOwnProperty.call(INSTANCE_SETTINGS, name);
}

/** A rule's value in words, e.g. "any member" or "365 days". */
export function settingWords(name: keyof InstanceRules, value: number | boolean): string {
  const rule = INSTANCE_SETTINGS[name];
  if (rule.type === 'boolean') return value ? rule.on : rule.off;
  return `${value} ${rule.unit}`;
}

/** Reads a submitted value ("on"/"off", "yes"/"no", or a number); a message when it doesn't fit. */
export function parseSetting(name: keyof InstanceRules, raw: string): { value: number | boolean } | { problem: string } {
  const rule = INSTANCE_SETTINGS[name];
  const text = raw.trim().toLowerCase();
  if (rule.type === 'boolean') {
    if (['on', 'yes', 'true', '1'].includes(text)) return { value: true };
    if (['off', 'no', 'false', '0'].includes(text)) return { value: false };
    return { problem: 'Please choose the new value.' };
  }
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < rule.min || n > rule.max) return { problem: `Please give a whole number from ${rule.min} to ${rule.max}.` };
  return { value: n };
}

export type AgreementChange = { change: 'amend'; number: number; text: string } | { change: 'add'; text: string } | { change: 'remove'; number: number };

/** The list after one change, or a message when the change no longer fits it (numbers count from 1). */
export function applyAgreementChange(items: readonly string[], c: AgreementChange): { items: string[] } | { problem: string } {
  const next = [...items];
  if (c.change === 'add') {
    if (next.length >= 30) return { problem: 'There are already 30 agreements.' };
    next.push(c.text);
    return { items: next };
  }
  if (!Number.isInteger(c.number) || c.number < 1 || c.number > next.length) return { problem: `There is no agreement number ${c.number}.` };
  if (c.change === 'amend') next[c.number - 1] = c.text;
  else {
    if (next.length === 1) return { problem: 'The last agreement can be amended but not removed.' };
    next.splice(c.number - 1, 1);
  }
  return { items: next };
}

/** A short title for an agreement change. */
export function agreementChangeTitle(c: AgreementChange, where: string): string {
  if (c.change === 'add') return `Add an agreement to ${where}`;
  if (c.change === 'amend') return `Amend agreement ${c.number} of ${where}`;
  return `Remove agreement ${c.number} from ${where}`;
}
