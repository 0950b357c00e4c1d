import type { RequestHandler } from 'express';
import type passport from 'passport';
import type { FormRoute } from '../form-route.js';
import type { Services } from '../../services.js';

/** What route modules receive from the composition of the web app. */
export interface RouteContext {
  services: Services;
  publicUrl: URL;
  passport: passport.PassportStatic;
  limits: { login: RequestHandler; registration: RequestHandler; posting: RequestHandler };
  /** The one way to handle a posted form (see `form-route.ts`). */
  form<K extends string, R>(spec: FormRoute<K, R>): RequestHandler;
}
