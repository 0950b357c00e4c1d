import type { Request, Response } from 'express';
import { ConflictError, HearthError, ValidationError, type FieldErrors } from '../domain/errors.js';
import { typedValues } from './form-input.js';

export interface FormProblem {
  status: number;
  message: string;
  fields: FieldErrors;
}

/** The problems a form can show next to its fields, or undefined for other errors. */
export function formProblem(error: unknown): FormProblem | undefined {
  if (error instanceof ValidationError) return { status: 400, message: error.message, fields: error.fields };
  if (error instanceof ConflictError) return { status: 409, message: error.message, fields: error.fields };
  return undefined;
}

/**
 * For posting forms: also refusals (a locked or slowed thread, a mute), so the
 * words someone wrote are shown back to them instead of lost.
 */
export function postingProblem(error: unknown): FormProblem | undefined {
  const problem = formProblem(error);
  if (problem) return problem;
  if (error instanceof HearthError && (error.code === 'forbidden' || error.code === 'rate_limited')) {
    return { status: error.status, message: error.message, fields: {} };
  }
  return undefined;
}

/** Renders `view` again with the problems listed and what the person typed kept. */
export function rerenderForm(
  req: Request,
  res: Response,
  view: string,
  problem: FormProblem,
  context: Record<string, unknown> = {},
): void {
  const errorList = Object.entries(problem.fields).map(([field, message]) => ({ field, message }));
  res.status(problem.status).render(view, {
    ...context,
    values: { ...typedValues(req), ...(context.values as Record<string, string> | undefined) },
    errors: problem.fields,
    errorSummary: { message: problem.message, list: errorList },
  });
}
