import type { Request } from 'express';
import { typedValues } from './form-input.js';
import type { Locale } from '../i18n/locales.js';
import { translate } from '../i18n/translate.js';

/**
 * The words people write into forms, by field, in the words the forms use.
 * Pages that could not save something (an expired form, a pause, an error)
 * give these back so nothing written is lost; choices such as radio buttons
 * and identifiers are not shown, and field names never are.
 */
const WRITTEN_FIELDS = new Set([
  'title', 'body', 'contentWarning', 'description', 'purpose', 'name', 'displayName', 'pronouns', 'bio', 'note', 'reason',
  'statement', 'message', 'outcomeNote', 'agreements', 'agreement', 'mutedWords', 'keywordFilters', 'place', 'contact',
  'howToReach', 'hours', 'languages', 'helps', 'doesNotHelp', 'earlySigns', 'hearFrom', 'anythingElse',
]);

export interface TypedText {
  field: string;
  label: string;
  value: string;
}

/** What the person wrote in the request's form, labelled for people. */
export function writtenText(req: Request, locale: Locale): TypedText[] {
  return Object.entries(typedValues(req))
    .filter(([field, value]) => WRITTEN_FIELDS.has(field) && value.trim() !== '')
    .map(([field, value]) => ({ field, label: translate(locale, `common.written.${field}`), value }));
}
