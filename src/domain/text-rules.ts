import type { FieldErrors } from './errors.js';

/** Trims and checks a required piece of text; records a problem under `field`. */
export function requiredText(
  errors: FieldErrors,
  field: string,
  value: string | undefined,
  label: string,
  max: number,
): string {
  const text = (value ?? '').trim();
  if (text === '') errors[field] = `${label} can't be empty.`;
  else if (text.length > max) errors[field] = `${label} can be at most ${max} characters (this has ${text.length}).`;
  return text;
}

/** Trims and checks optional text; empty becomes ''. */
export function optionalText(
  errors: FieldErrors,
  field: string,
  value: string | undefined,
  label: string,
  max: number,
): string {
  const text = (value ?? '').trim();
  if (text.length > max) errors[field] = `${label} can be at most ${max} characters (this has ${text.length}).`;
  return text;
}
