import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, HearthError, NotFoundError } from '../domain/errors.js';
import { writtenText } from './typed-text.js';
import { withoutQuery } from './log-safety.js';
import { chooseLocale, localeOf, trText } from './i18n.js';
import { isLocale } from '../i18n/locales.js';
import { msg } from '../i18n/message.js';
import type { Text } from '../i18n/translate.js';

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
    // An error before the page's language was chosen (a form's expired token) still speaks the person's language.
    if (!isLocale(res.locals.locale)) res.locals.locale = chooseLocale(req, req.user?.language, undefined);
    let status = 500;
    let title: Text = msg('common.error.title.unexpected');
    let message: Text = msg('common.error.unexpected');

    if (error instanceof HearthError) {
      status = error.status;
      message = error.text;
      title = msg(
        status === 404
          ? 'common.error.title.not_found'
          : status === 401
            ? 'common.error.title.log_in'
            : status === 503
              ? 'common.error.title.unavailable'
              : 'common.error.title.did_not_work',
      );
      if (error instanceof DatabaseUnavailableError) logger.warn({ err: error.cause, url: req.originalUrl }, 'database unavailable');
    } else if (isHttpError(error) && error.code === 'EBADCSRFTOKEN') {
      status = 403;
      title = msg('common.error.title.form_expired');
      message = msg('common.error.form_expired');
    } else if (isHttpError(error) && error.type === 'entity.too.large') {
      status = 413;
      title = msg('common.error.title.too_large');
      message = msg('common.error.too_large');
    } else if (isHttpError(error) && error.status >= 400 && error.status < 500) {
      status = error.status;
      title = msg('common.error.title.did_not_work');
      message = msg('common.error.bad_request');
    } else {
      logger.error({ err: error, url: withoutQuery(req.originalUrl) }, 'unexpected error');
    }

    // Whatever a form could not save, the person gets back what they wrote.
    const typed = req.method === 'POST' ? writtenText(req, localeOf(res)) : [];
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { status, message: trText(res, message) } });
      return;
    }
    res.render('error', { title, message, status, typed });
  };
}
