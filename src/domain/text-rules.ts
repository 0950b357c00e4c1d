import type { FieldErrors } from './errors.js';
import { msg } from '../i18n/message.js';
import type { Text } from '../i18n/translate.js';

/**
 * Trims and checks a required piece of text; records a problem under `field`.
 * `label` names the field inside the sentence (each language words its own).
 */
export function requiredText(
  errors: FieldErrors,
  field: string,
  value: string | undefined,
  label: Text,
  max: number,
): string {
  const text = (value ?? '').trim();
  if (text === '') errors[field] = msg('common.text.required', { label });
  else if (text.length > max) errors[field] = msg('common.text.too_long', { label, max, length: text.length });
  return text;
}

/** Trims and checks optional text; empty becomes ''. */
export function optionalText(
  errors: FieldErrors,
  field: string,
  value: string | undefined,
  label: Text,
  max: number,
): string {
  const text = (value ?? '').trim();
  if (text.length > max) errors[field] = msg('common.text.too_long', { label, max, length: text.length });
  return text;
}
