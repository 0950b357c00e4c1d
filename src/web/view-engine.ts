import path from 'node:path';
import type { Express } from 'express';
import { create } from 'express-handlebars';
import { viewsDir } from '../paths.js';
import { viewHelpers } from './view-helpers.js';

type RenderTemplate = (template: (context: object, options: object) => string, context: object, options: object) => string;

/** Handlebars views with a main layout and partials, cached outside development. */
export function useViewEngine(app: Express, cache: boolean): void {
  const handlebars = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    helpers: viewHelpers,
    // Partials are never indented by where they are included: a textarea's
    // text must come back exactly as it was typed.
    compilerOptions: { preventIndent: true },
  });
  // express-handlebars trims every page it renders: that copies the whole page
  // (made of many pieces) once more for nothing. Leading and trailing
  // whitespace means nothing in HTML.
  (handlebars as unknown as { _renderTemplate: RenderTemplate })._renderTemplate = (template, context, options) => template(context, options);
  if (cache) {
    // With the view cache on, every page asked for the partials again (a
    // lookup and a promise per partial file, on every render): the set is
    // gathered once. express-handlebars copies it into each render's options.
    const gather = handlebars.getPartials.bind(handlebars);
    let partials: ReturnType<typeof gather> | undefined;
    handlebars.getPartials = (options) => {
      if (!options?.cache) return gather(options);
      partials ??= gather(options).catch((error: unknown) => {
        partials = undefined;
        throw error;
      });
      return partials;
    };
  }
  app.engine('hbs', handlebars.engine);
  app.set('view engine', 'hbs');
  app.set('views', path.join(viewsDir, 'pages'));
  app.set('view cache', cache);
}
