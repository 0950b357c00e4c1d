import type { RequestHandler } from 'express';
import type passport from 'passport';
import type { Services } from '../services.js';

/** What route modules receive from the composition of the web app. */
export interface RouteContext {
  services: Services;
  publicUrl: URL;
  passport: passport.PassportStatic;
  limits: { login: RequestHandler; registration: RequestHandler; posting: RequestHandler };
}
