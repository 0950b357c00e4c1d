import type { Request } from 'express';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { msg } from '../i18n/message.js';

/** Fields never echoed back into a form. */
const SECRET_FIELDS = new Set(['password', 'passwordConfirm', 'currentPassword', 'newPassword', '_csrf']);

/**
 * Reads the named text fields of a posted form. A field sent twice or as a
 * nested object (possible with crafted requests) is refused rather than guessed.
 */
export function formFields<K extends string>(req: Request, names: readonly K[]): Record<K, string> {
  const body: unknown = req.body ?? {};
  const shape = Object.fromEntries(names.map((n) => [n, z.string().optional()])) as Record<K, z.ZodOptional<z.ZodString>>;
  const parsed = z.object(shape).safeParse(body);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), msg('common.form.send_once')]));
    throw new ValidationError(fields, msg('common.form.strange_shape'));
  }
  const data = parsed.data as Record<K, string | undefined>;
  // PostgreSQL cannot store a NUL character; nobody types one on purpose.
  const withNul = names.filter((n) => data[n]?.includes('\u0000'));
  if (withNul.length > 0) {
    throw new ValidationError(
      Object.fromEntries(withNul.map((n) => [n, msg('common.form.nul')])),
    );
  }
  // Browsers send a textarea's line breaks as CRLF (HTML's form encoding) while
  // the text the person sees and typed has plain line breaks: keep theirs.
  return Object.fromEntries(names.map((n) => [n, (data[n] ?? '').replace(/\r\n?/g, '\n')])) as Record<K, string>;
}

/** What a person typed, to put back into the form after a problem. */
export function typedValues(req: Request): Record<string, string> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return {};
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!SECRET_FIELDS.has(key) && typeof value === 'string') values[key] = value.replace(/\r\n?/g, '\n');
  }
  return values;
}

/** ?page=N: a whole number from 1; anything else is a 404-worthy address. */
export function pageNumber(req: Request): number | undefined {
  const raw = req.query.page;
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,5}$/.test(raw)) return undefined;
  return Number(raw);
}

