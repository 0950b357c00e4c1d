/** A member's personal plan in their own words (the peer practice behind WRAP and Mad Maps). */
export interface SupportPlan {
  helps: string;
  doesNotHelp: string;
  earlySigns: string;
  hearFrom: string;
  anythingElse: string;
  updatedAt: Date;
}

export const PLAN_SECTIONS = [
  { field: 'helps', label: 'What helps me' },
  { field: 'doesNotHelp', label: 'What doesn’t help' },
  { field: 'earlySigns', label: 'Early signs I notice' },
  { field: 'hearFrom', label: 'Who I’d like to hear from (and how)' },
  { field: 'anythingElse', label: 'Anything else' },
] as const;

export const PLAN_SECTION_LIMIT = 4000;
