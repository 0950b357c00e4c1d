/**
 * Hearth's one error family. Services throw these; the web layer's error
 * handler turns them into pages (or JSON) with the status each one carries.
 * Messages are shown to people, so they are written in plain, peer language.
 */
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

export class HearthError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HearthError';
    this.status = STATUS[code];
  }
}

/** Problems with what someone typed, keyed by form field. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends HearthError {
  constructor(
    readonly fields: FieldErrors,
    message = 'Some of what you entered needs another look.',
  ) {
    super('validation', message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends HearthError {
  constructor(message = "We couldn't find that page. It may have moved or been removed.") {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends HearthError {
  constructor(message = "You can't do that here.") {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}

export class NotSignedInError extends HearthError {
  constructor(message = 'Please log in first.') {
    super('not_signed_in', message);
    this.name = 'NotSignedInError';
  }
}

export class ConflictError extends HearthError {
  constructor(
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

/** The database did not answer in time (or the connection to it failed). */
export class DatabaseUnavailableError extends HearthError {
  constructor(
    cause: unknown,
    message = "Hearth can't reach its database just now, so this page could not be shown and anything you just sent may not have been saved. Please try again in a minute or two.",
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
    super(
      'conflict',
      `This database was last used by a newer version of Hearth (its schema is at ${found}; this Hearth knows up to ${known}). ` +
        'Nothing was changed. Please run that newer version again, or restore a backup made with this one.',
    );
    this.name = 'NewerSchemaError';
  }
}
