import { Router } from 'express';
import { LIMITS } from '../../domain/limits.js';
import type { Member } from '../../domain/members/member.js';
import { asyncHandler } from '../../http/async-handler.js';
import { formFields } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

/** Member profiles at /u/HANDLE and a member's own profile settings. */
export function memberRoutes({ services, limits }: RouteContext): Router {
  const router = Router();

  router.get(
    '/u/:handle',
    asyncHandler(async (req, res) => {
      const profile = await services.members.profileFor(req.params.handle!, req.user);
      const recent = await services.threads.recentPublicPostsBy(profile.id);
      res.render('member', { title: profile.displayName || profile.handle, profile, recent });
    }),
  );

  const settingsView = { title: 'Your profile', limits: LIMITS };

  const preferenceValues = (m: Member) => ({
    cwDisplay: m.cwDisplay,
    mutedWords: m.mutedWords.join('\n'),
    profileListed: m.profileListed,
    federatePosts: m.federatePosts,
    discoverable: m.discoverable,
    indexable: m.indexable,
  });

  router.get('/settings/profile', requireLogin, (req, res) => {
    const m = member(req);
    res.render('settings-profile', {
      ...settingsView,
      values: { displayName: m.displayName, pronouns: m.pronouns, bio: m.bio, email: m.email ?? '' },
      preferences: preferenceValues(m),
      saved: req.query.saved === '1',
    });
  });

  router.post(
    '/settings/privacy',
    requireLogin,
    limits.profile,
    asyncHandler(async (req, res) => {
      const f = formFields(req, ['profileListed', 'federatePosts', 'discoverable', 'indexable'] as const);
      await services.members.updatePrivacy(member(req), {
        profileListed: f.profileListed === 'on',
        federatePosts: f.federatePosts === 'on',
        discoverable: f.discoverable === 'on',
        indexable: f.indexable === 'on',
      });
      res.redirect(303, '/settings/profile?saved=1');
    }),
  );

  router.post(
    '/settings/preferences',
    requireLogin,
    limits.profile,
    asyncHandler(async (req, res) => {
      try {
        const f = formFields(req, ['cwDisplay', 'mutedWords'] as const);
        await services.members.updatePreferences(member(req), f);
        res.redirect(303, '/settings/profile?saved=1');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        const m = member(req);
        rerenderForm(req, res, 'settings-profile', problem, {
          ...settingsView,
          values: { displayName: m.displayName, pronouns: m.pronouns, bio: m.bio, email: m.email ?? '' },
          preferences: { cwDisplay: req.body.cwDisplay, mutedWords: req.body.mutedWords },
        });
      }
    }),
  );

  router.post(
    '/settings/profile',
    requireLogin,
    limits.profile,
    asyncHandler(async (req, res) => {
      try {
        const f = formFields(req, ['displayName', 'pronouns', 'bio', 'email'] as const);
        await services.members.updateProfile(member(req), f);
        res.redirect(303, '/settings/profile?saved=1');
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'settings-profile', problem, { ...settingsView, preferences: preferenceValues(member(req)) });
      }
    }),
  );
  return router;
}
