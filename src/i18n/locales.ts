/**
 * The languages Hearth speaks. Adding one is writing its catalogue
 * (`messages/XX/`), its list of words not to use (`docs/clinical-terms.XX.txt`)
 * and naming it here; right-to-left languages say so in `DIRECTION`.
 */
export const LOCALES = ['en', 'de', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

/** Each language by its own name, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

/** Which way each language is written (the layout's `dir`). */
export const DIRECTION: Record<Locale, 'ltr' | 'rtl'> = { en: 'ltr', de: 'ltr', es: 'ltr' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
