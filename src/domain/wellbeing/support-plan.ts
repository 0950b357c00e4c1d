import { msg } from '../../i18n/message.js';

/** A member's personal plan in their own words (the peer practice behind WRAP and Mad Maps). */
export interface SupportPlan {
  helps: string;
  doesNotHelp: string;
  earlySigns: string;
  hearFrom: string;
  anythingElse: string;
  updatedAt: Date;
}

/** The plan's sections; each label is a message (the view words it in the reader's language). */
export const PLAN_SECTIONS = [
  { field: 'helps', label: msg('accounts.plan.section.helps') },
  { field: 'doesNotHelp', label: msg('accounts.plan.section.doesNotHelp') },
  { field: 'earlySigns', label: msg('accounts.plan.section.earlySigns') },
  { field: 'hearFrom', label: msg('accounts.plan.section.hearFrom') },
  { field: 'anythingElse', label: msg('accounts.plan.section.anythingElse') },
] as const;

export const PLAN_SECTION_LIMIT = 4000;
