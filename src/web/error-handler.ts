import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, HearthError, NotFoundError } from '../domain/errors.js';
import { writtenText } from './typed-text.js';
import { withoutQuery } from './log-safety.js';

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError());
};

function isHttpError(error: unknown): error is { status: number; type?: string; code?: string; expose?: boolean } {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * The one place errors become pages. Hearth's own errors carry their status
 * and a message for people; anything unexpected is logged and shown as a
 * calm 500 page without details.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    let status = 500;
    let title = 'Something went wrong on our side';
    let message = 'Sorry, Hearth ran into a problem. What you did may not have been saved. Please try again in a moment.';

    if (error instanceof HearthError) {
      status = error.status;
      message = error.message;
      title = status === 404 ? "We couldn't find that" : status === 401 ? 'Please log in' : status === 503 ? 'Hearth is having trouble just now' : 'That didn’t work';
      if (error instanceof DatabaseUnavailableError) logger.warn({ err: error.cause, url: req.originalUrl }, 'database unavailable');
    } else if (isHttpError(error) && error.code === 'EBADCSRFTOKEN') {
      status = 403;
      title = 'This form had expired';
      message =
        'For your safety, forms stop working after a while or when you log out in another tab. Nothing was saved. What you wrote is below so it is not lost: copy it, then go back and send it again.';
    } else if (isHttpError(error) && error.type === 'entity.too.large') {
      status = 413;
      title = 'That was too much at once';
      message = 'What you sent is larger than Hearth accepts in one go. Nothing was saved. Please make it shorter and try again.';
    } else if (isHttpError(error) && error.status >= 400 && error.status < 500) {
      status = error.status;
      title = 'That didn’t work';
      message = 'Hearth could not understand that request. Nothing was changed.';
    } else {
      logger.error({ err: error, url: withoutQuery(req.originalUrl) }, 'unexpected error');
    }

    // Whatever a form could not save, the person gets back what they wrote.
    const typed = req.method === 'POST' ? writtenText(req) : [];
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { status, message } });
      return;
    }
    res.render('error', { title, message, status, typed });
  };
}
