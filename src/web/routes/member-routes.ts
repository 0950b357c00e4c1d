import { Router, type Request } from 'express';
import { LIMITS } from '../../domain/limits.js';
import { avatarPath, type Member } from '../../domain/members/member.js';
import { zoneGroups } from '../../domain/time-zones.js';
import { asyncHandler } from '../../http/async-handler.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { msg } from '../../i18n/message.js';

/** Every field of the settings page: profile, what you see, privacy, time zone. */
const SETTINGS_FIELDS = [
  'displayName',
  'pronouns',
  'bio',
  'email',
  'cwDisplay',
  'mutedWords',
  'profileListed',
  'federatePosts',
  'discoverable',
  'indexable',
  'timeZone',
  'whoMayMessage',
  'language',
] as const;

/** Member profiles at /u/HANDLE and a member's own settings, saved as one form. */
export function memberRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();

  router.get(
    '/u/:handle',
    asyncHandler(async (req, res) => {
      const profile = await services.members.profileFor(req.params.handle!, req.user);
      const recent = await services.threads.recentPublicPostsBy(profile.id);
      res.render('member', { title: profile.displayName || profile.handle, profile, recent, avatarUrl: avatarPath(profile.handle, profile.avatarVersion) });
    }),
  );

  const settingsPage = async (values: Record<string, string>, suggestZone: boolean) => {
    const instance = await services.instance.get();
    return {
      title: msg('accounts.profile.title'),
      limits: LIMITS,
      zoneGroups: zoneGroups(new Date()),
      instanceZone: instance?.timeZone ?? 'UTC',
      suggestZone,
      values,
    };
  };

  const storedValues = (m: Member): Record<string, string> => ({
    displayName: m.displayName,
    pronouns: m.pronouns,
    bio: m.bio,
    email: m.email ?? '',
    cwDisplay: m.cwDisplay,
    mutedWords: m.mutedWords.join('\n'),
    profileListed: m.profileListed ? 'on' : '',
    federatePosts: m.federatePosts ? 'on' : '',
    timeZone: m.timeZone ?? '',
    discoverable: m.discoverable ? 'on' : '',
    indexable: m.indexable ? 'on' : '',
    whoMayMessage: m.whoMayMessage,
    language: m.language ?? '',
  });

  router.get(
    '/settings/profile',
    requireLogin,
    asyncHandler(async (req, res) => {
      const m = member(req);
      res.render('settings-profile', { ...(await settingsPage(storedValues(m), m.timeZone === null)), saved: req.query.saved === '1' });
    }),
  );

  // Shown again after a problem: what was typed comes on top of these (form-route),
  // and a box left unticked is sent as nothing at all, so it starts unticked here.
  const typedAgain = (req: Request) => settingsPage({ ...storedValues(member(req)), profileListed: '', federatePosts: '', discoverable: '', indexable: '' }, false);

  router.post(
    '/settings/profile',
    requireLogin,
    limits.profile,
    form({
      fields: SETTINGS_FIELDS,
      run: (f, req) =>
        services.members.updateSettings(member(req), {
          ...f,
          profileListed: f.profileListed === 'on',
          federatePosts: f.federatePosts === 'on',
          discoverable: f.discoverable === 'on',
          indexable: f.indexable === 'on',
        }),
      redirect: () => '/settings/profile?saved=1',
      form: { view: 'settings-profile', page: typedAgain },
    }),
  );

  // The page once had a form per section; anything still sending to those
  // addresses is brought to the one form, which saves every section at once.
  router.post('/settings/preferences', requireLogin, (_req, res) => res.redirect(303, '/settings/profile#preferences'));
  router.post('/settings/privacy', requireLogin, (_req, res) => res.redirect(303, '/settings/profile#privacy'));
  return router;
}
