import { Router } from 'express';
import { isLocale, LOCALES } from '../../i18n/locales.js';
import { rememberLanguage, safeBackPath } from '../i18n.js';
import type { RouteContext } from './route-context.js';

/**
 * The visible language switch. Visitors follow a link
 * (`/language/de?back=/c/voices`): the choice is kept in a cookie (no session,
 * no account) and they go back where they were. Members send the switch's
 * small form, which also saves the choice in their settings.
 */
export function languageRoutes({ services, form }: RouteContext): Router {
  const router = Router();
  router.get('/language/:locale', (req, res) => {
    const locale = req.params.locale;
    if (!isLocale(locale)) return res.status(404).type('text/plain').send(`Hearth speaks ${LOCALES.join(', ')}.`);
    rememberLanguage(res, locale);
    res.redirect(303, safeBackPath(req.query.back));
  });
  router.post(
    '/settings/language',
    form({
      fields: ['language', 'back'],
      run: async (input, req) => {
        const language = await services.members.chooseLanguage(req.user, input.language);
        return { language, back: safeBackPath(input.back) };
      },
      respond: ({ language, back }, _req, res) => {
        rememberLanguage(res, language);
        res.redirect(303, back);
      },
    }),
  );
  return router;
}
