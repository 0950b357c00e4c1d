import type { Request, RequestHandler, Response } from 'express';
import { ConflictError, HearthError, type FieldErrors, type Text } from '../domain/errors.js';
import { FormSubmissions } from '../domain/forms/form-submissions.js';
import { asyncHandler } from '../http/async-handler.js';
import { formFields, typedValues } from './form-input.js';

/**
 * Hearth's one way to handle a posted form:
 *   read the fields (text, each once, nothing a database cannot store)
 *   → run the service → redirect (303) to what it made or changed;
 *   or, on a refusal the person can do something about, show the form's page
 *   again with each problem next to its field and everything they typed kept.
 *
 * Refusals are told apart by their kind (`HearthError.kind`). Anything that is
 * not a refusal goes to the one error handler, which also gives back what was
 * typed. A creation form (`once`) carries a one-time token, so that sending it
 * twice (Back and send again, a double click) leads to what the first
 * submission made instead of a copy.
 */
export interface FormRoute<K extends string, R> {
  /** The posted fields the route reads. */
  fields: readonly K[];
  /** Does the work (through a service); refusals are thrown as HearthErrors. */
  run: (input: Record<K, string>, req: Request) => Promise<R>;
  /** Where the person goes once it worked (a 303 redirect)… */
  redirect?: (result: R, req: Request) => string | Promise<string>;
  /** …or, for the few forms that answer otherwise (a download, logging out), the answer itself. */
  respond?: (result: R, req: Request, res: Response) => void | Promise<void>;
  /** The page holding the form, shown again with the problems. Without one, refusals are shown on the error page (with what was typed). */
  form?: { view: string; page: (req: Request) => Promise<Record<string, unknown>> | Record<string, unknown> };
  /** A creation form: one object per form, however often it is sent. */
  once?: boolean;
}

export interface FormProblem {
  status: number;
  /** What the person is told above the form, in no language yet (the page shows it with {{text}}). */
  message: Text;
  fields: FieldErrors;
}

/** The field holding a creation form's one-time token (see the `form-token` partial). */
export const ONCE_FIELD = '_once';
/** How long a second submission waits for the first one to finish. */
const WAIT_FOR_FIRST_MS = 5_000;

/** A refusal the person can act on, shown on the form; undefined for anything else. */
export function formProblem(error: unknown): FormProblem | undefined {
  if (!(error instanceof HearthError)) return undefined;
  switch (error.kind) {
    case 'validation':
    case 'conflict':
    case 'forbidden':
    case 'rate_limited':
    // On the login form, a password that did not match (401); elsewhere the
    // page itself asks for a login, so the error page answers instead.
    case 'not_signed_in':
      return { status: error.status, message: error.text, fields: error.fields };
    case 'not_found':
    case 'unavailable':
      return undefined;
  }
}

/** Shows `view` again with the problems listed and what the person typed kept. */
export function rerenderForm(req: Request, res: Response, view: string, problem: FormProblem, page: Record<string, unknown> = {}): void {
  const errorList = Object.entries(problem.fields).map(([field, message]) => ({ field, message }));
  res.status(problem.status).render(view, {
    ...page,
    values: { ...(page.values as Record<string, string> | undefined), ...typedValues(req) },
    errors: problem.fields,
    errorSummary: { message: problem.message, list: errorList },
  });
}

export function formRoute<K extends string, R>(submissions: FormSubmissions, spec: FormRoute<K, R>): RequestHandler {
  return asyncHandler(async (req, res) => {
    const memberId = req.user?.id;
    const raw: unknown = (req.body as Record<string, unknown> | undefined)?.[ONCE_FIELD];
    const token = spec.once && memberId !== undefined && typeof raw === 'string' && FormSubmissions.isToken(raw) ? raw : undefined;
    if (token !== undefined && memberId !== undefined) {
      const claim = await submissions.claimOrWait(memberId, token, WAIT_FOR_FIRST_MS);
      if (claim.state === 'done') return res.redirect(303, claim.path);
      if (claim.state === 'pending') throw new ConflictError('You sent this form twice. The first one is still being saved: please look again in a moment.');
    }
    try {
      const input = formFields(req, spec.fields);
      const result = await spec.run(input, req);
      if (spec.respond) return await spec.respond(result, req, res);
      const path = spec.redirect ? await spec.redirect(result, req) : req.originalUrl;
      if (token !== undefined && memberId !== undefined) await submissions.complete(memberId, token, path);
      res.redirect(303, path);
    } catch (error) {
      if (token !== undefined && memberId !== undefined) await submissions.release(memberId, token);
      const problem = formProblem(error);
      if (!problem || !spec.form) throw error;
      // If the page itself can no longer be shown (say, the thread is gone), the
      // error page still gives back what was typed.
      const page = await Promise.resolve(spec.form.page(req)).catch(() => {
        throw error;
      });
      rerenderForm(req, res, spec.form.view, problem, page);
    }
  });
}

/** Shows a form's page for the first time: empty, or with the `values` the page gives. */
export function formPage(view: string, page: (req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>): RequestHandler {
  return asyncHandler(async (req, res) => {
    res.render(view, { values: {}, ...(await page(req)) });
  });
}
