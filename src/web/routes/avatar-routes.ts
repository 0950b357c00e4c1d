import { Router } from 'express';
import { avatarPath } from '../../domain/members/member.js';
import { AVATAR_UPLOAD_BYTES } from '../../domain/members/avatars.js';
import { asyncHandler } from '../../http/async-handler.js';
import { formPage } from '../form-route.js';
import { member, requireLogin } from '../guards.js';
import { uploadedFile } from '../uploads.js';
import type { RouteContext } from './route-context.js';
import { msg } from '../../i18n/message.js';

/** Members' pictures: served at /avatars/HANDLE, chosen at /settings/avatar. */
export function avatarRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();

  router.get(
    '/avatars/:handle',
    asyncHandler(async (req, res) => {
      const avatar = await services.avatars.imageOf(req.params.handle!);
      // The address carries the picture's version: a matching one never changes.
      const current = req.query.v === avatar.version;
      res.set({
        'Content-Type': avatar.contentType,
        'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
      });
      res.send(avatar.image);
    }),
  );

  const page = (req: Parameters<typeof member>[0]) => {
    const m = member(req);
    return {
      title: msg('accounts.avatar.title'),
      avatarUrl: avatarPath(m.handle, m.avatarVersion),
      maxMegabytes: AVATAR_UPLOAD_BYTES / (1024 * 1024),
      saved: req.query.saved === '1',
      removed: req.query.removed === '1',
    };
  };

  router.get('/settings/avatar', requireLogin, formPage('settings-avatar', page));

  // The multipart body is read (fileUpload) before CSRF protection, in create-web-app.
  router.post(
    '/settings/avatar',
    requireLogin,
    limits.profile,
    form({
      fields: [],
      run: async (_input, req) => services.avatars.set(req.user, uploadedFile(req)),
      redirect: () => '/settings/avatar?saved=1',
      form: { view: 'settings-avatar', page },
    }),
  );

  router.post(
    '/settings/avatar/remove',
    requireLogin,
    form({
      fields: [],
      run: async (_input, req) => services.avatars.remove(req.user),
      redirect: () => '/settings/avatar?removed=1',
      form: { view: 'settings-avatar', page },
    }),
  );

  return router;
}
