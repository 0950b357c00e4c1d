import type { Request, Response } from 'express';
import type { Member } from '../domain/members/member.js';

/** Logs `member` in on this session, then sends the browser to `path`. */
export function logInAndGo(req: Request, res: Response, member: Member, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.login(member, (error: unknown) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      res.redirect(303, path);
      resolve();
    });
  });
}

/** Ends this session's login and the session itself, then sends the browser to `path`. */
export function logOutAndGo(req: Request, res: Response, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logout((error: unknown) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      req.session.destroy(() => {
        res.redirect(303, path);
        resolve();
      });
    });
  });
}
