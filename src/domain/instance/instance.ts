import type { Locale } from '../../i18n/locales.js';

export type RegistrationMode = 'open' | 'approval' | 'invite';
export const REGISTRATION_MODES: readonly RegistrationMode[] = ['open', 'approval', 'invite'];

export interface Instance {
  name: string;
  description: string;
  registrationMode: RegistrationMode;
  federationMode: 'open' | 'allowlist' | 'off';
  createdAt: Date;
  /** The IANA zone visitors (and members who chose none) see times in. */
  timeZone: string;
  /** The language visitors see when their browser asks for none Hearth speaks (members may choose their own). */
  language: Locale;
}
