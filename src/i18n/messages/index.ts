import type { Locale } from '../locales.js';
import { en } from './en/index.js';
import { de } from './de/index.js';
import { es } from './es/index.js';

/**
 * Hearth's message catalogues. English (`en/`) is the reference: its keys are
 * the type every other language must fill (a missing or extra key is a
 * compile error, and a test checks each message's placeholders match).
 * One file per area (namespace), the same in every language.
 */
export type English = typeof en;
export type Namespace = keyof English;

/** One area's messages in another language: every English key, no other. */
export type Catalogue<NS extends Namespace> = { readonly [K in keyof English[NS]]: string };
export type Catalogues = { readonly [NS in Namespace]: Catalogue<NS> };

/** Every message's key: `namespace.key`, as templates and code name them. */
export type MessageKey = { [NS in Namespace]: `${NS}.${keyof English[NS] & string}` }[Namespace];

function flatten(catalogues: Catalogues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [ns, messages] of Object.entries(catalogues) as Array<[string, Record<string, string>]>) {
    for (const [key, text] of Object.entries(messages)) out[`${ns}.${key}`] = text;
  }
  return out;
}

export const CATALOGUES: Record<Locale, Catalogues> = { en, de, es };

/** Every message by its full key, per language. */
export const MESSAGES: Record<Locale, Record<string, string | undefined>> = {
  en: flatten(en),
  de: flatten(de),
  es: flatten(es),
};
