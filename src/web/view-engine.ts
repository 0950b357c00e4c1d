import path from 'node:path';
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import { viewsDir } from '../paths.js';
import { viewHelpers } from './view-helpers.js';

/** Handlebars views with a main layout and partials, cached outside development. */
export function useViewEngine(app: Express, cache: boolean): void {
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(viewsDir, 'layouts'),
      partialsDir: path.join(viewsDir, 'partials'),
      helpers: viewHelpers,
      // Partials are never indented by where they are included: a textarea's
      // text must come back exactly as it was typed.
      compilerOptions: { preventIndent: true },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', path.join(viewsDir, 'pages'));
  app.set('view cache', cache);
}
