/**
 * Hearth's one error family. Errors are made only through the classes below
 * (HearthError itself cannot be constructed); code that handles them switches
 * on `kind`. Services throw these; the web layer's error
 * handler turns them into pages (or JSON) with the status each one carries.
 * Messages are shown to people, so they are written in plain, peer language.
 */
import { msg } from '../i18n/message.js';
import { textIn, type Text } from '../i18n/translate.js';

export type { Text } from '../i18n/translate.js';

export type ErrorCode = 'validation' | 'not_found' | 'forbidden' | 'not_signed_in' | 'conflict' | 'rate_limited' | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  not_signed_in: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export abstract class HearthError extends Error {
  readonly status: number;
  /** Problems by form field, where the error is about what someone typed. */
  readonly fields: FieldErrors;
  /** What people are told, in no language yet (`message` is its English, for logs). */
  readonly text: Text;
  protected constructor(
    readonly code: ErrorCode,
    text: Text,
    fields: FieldErrors = {},
  ) {
    super(textIn('en', text));
    this.text = text;
    this.fields = fields;
    this.name = 'HearthError';
    this.status = STATUS[code];
  }

  /** What went wrong, for code that decides what to do about it. */
  get kind(): ErrorCode {
    return this.code;
  }
}

/** Problems with what someone typed, keyed by form field. */
export type FieldErrors = Record<string, Text>;

export class ValidationError extends HearthError {
  constructor(fields: FieldErrors, message: Text = msg('common.error.needs_another_look')) {
    super('validation', message, fields);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends HearthError {
  constructor(message: Text = msg('common.error.not_found')) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends HearthError {
  constructor(message: Text = msg('common.error.forbidden')) {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}

export class NotSignedInError extends HearthError {
  constructor(message: Text = msg('common.error.log_in_first')) {
    super('not_signed_in', message);
    this.name = 'NotSignedInError';
  }
}

export class ConflictError extends HearthError {
  constructor(message: Text, fields: FieldErrors = {}) {
    super('conflict', message, fields);
    this.name = 'ConflictError';
  }
}

/** Too much, too fast: the person is asked to pause, and what they typed is kept. */
export class RateLimitedError extends HearthError {
  constructor(message: Text = msg('common.error.rate_limited')) {
    super('rate_limited', message);
    this.name = 'RateLimitedError';
  }
}

/** The database did not answer in time (or the connection to it failed). */
export class DatabaseUnavailableError extends HearthError {
  constructor(
    cause: unknown,
    message: Text = msg('common.error.database_unavailable'),
  ) {
    super('unavailable', message);
    this.name = 'DatabaseUnavailableError';
    this.cause = cause;
  }
}

/** The database was used by a newer Hearth than this one: starting would risk it. */
export class NewerSchemaError extends HearthError {
  constructor(
    readonly found: string,
    readonly known: string,
  ) {
    super('conflict', msg('common.error.newer_schema', { found, known }));
    this.name = 'NewerSchemaError';
  }
}
