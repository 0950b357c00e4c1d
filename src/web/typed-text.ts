import type { Request } from 'express';
import { typedValues } from './form-input.js';

/**
 * The words people write into forms, by field, in the words the forms use.
 * Pages that could not save something (an expired form, a pause, an error)
 * give these back so nothing written is lost; choices such as radio buttons
 * and identifiers are not shown, and field names never are.
 */
const WRITTEN_FIELDS: Record<string, string> = {
  title: 'Title',
  body: 'Your post',
  contentWarning: 'Content warning',
  description: 'Description',
  purpose: 'Purpose',
  name: 'Name',
  displayName: 'Display name',
  pronouns: 'Pronouns',
  bio: 'About you',
  note: 'Your note',
  reason: 'Reason',
  statement: 'What you want to say',
  message: 'Your message',
  outcomeNote: 'Note on the outcome',
  agreements: 'Agreements',
  agreement: 'Agreement',
  mutedWords: 'Muted words',
  keywordFilters: 'Words that hold a post',
  place: 'Place',
  contact: 'Contact',
  howToReach: 'How to reach them',
  hours: 'Hours',
  languages: 'Languages',
  helps: 'What helps',
  doesNotHelp: 'What does not help',
  earlySigns: 'Early signs',
  hearFrom: 'Who I’d like to hear from',
  anythingElse: 'Anything else',
};

export interface TypedText {
  field: string;
  label: string;
  value: string;
}

/** What the person wrote in the request's form, labelled for people. */
export function writtenText(req: Request): TypedText[] {
  return Object.entries(typedValues(req))
    .filter(([field, value]) => field in WRITTEN_FIELDS && value.trim() !== '')
    .map(([field, value]) => ({ field, label: WRITTEN_FIELDS[field]!, value }));
}
