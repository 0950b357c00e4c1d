import type { Instance, RegistrationMode } from '../../domain/instance/instance.js';
import type { Queryable } from '../database.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../i18n/locales.js';

interface InstanceRow {
  name: string;
  description: string;
  registration_mode: RegistrationMode;
  federation_mode: Instance['federationMode'];
  created_at: Date;
  time_zone: string;
  language: string;
}

export async function findInstance(q: Queryable): Promise<Instance | undefined> {
  const rows = await q.query<InstanceRow>(
    'SELECT name, description, registration_mode, federation_mode, created_at, time_zone, language FROM instance WHERE id = 1',
  );
  const r = rows[0];
  return (
    r && {
      name: r.name,
      description: r.description,
      registrationMode: r.registration_mode,
      federationMode: r.federation_mode,
      createdAt: r.created_at,
      timeZone: r.time_zone,
      language: isLocale(r.language) ? r.language : DEFAULT_LOCALE,
    }
  );
}

/** Creates the instance row; returns false when the instance was already set up. */
export async function insertInstance(q: Queryable, name: string, description: string): Promise<boolean> {
  const rows = await q.query(
    'INSERT INTO instance (id, name, description) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
    [name, description],
  );
  return rows.length === 1;
}

export async function setRegistrationMode(q: Queryable, mode: RegistrationMode): Promise<void> {
  await q.query('UPDATE instance SET registration_mode = $1 WHERE id = 1', [mode]);
}

export async function updateInstance(
  q: Queryable,
  s: { name: string; description: string; registrationMode: RegistrationMode; timeZone: string; language: Locale },
): Promise<void> {
  await q.query(
    'UPDATE instance SET name = $1, description = $2, registration_mode = $3, time_zone = $4, language = $5, updated_at = now() WHERE id = 1',
    [s.name, s.description, s.registrationMode, s.timeZone, s.language],
  );
}

/** Returns the stored secret called `name`, creating it with `make()` the first time. */
export async function ensureSecret(q: Queryable, name: string, make: () => string): Promise<string> {
  await q.query('INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, make()]);
  const rows = await q.query<{ value: string }>('SELECT value FROM instance_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
