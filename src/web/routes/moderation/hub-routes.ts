import { Router } from 'express';
import { ACTION_KINDS, reasonLabel, reportStatusText } from '../../../../moderation/index.js';
import { asyncHandler } from '../../../http/async-handler.js';
import { member, requireLogin } from '../../guards.js';
import { withEventWords } from '../../moderation-words.js';
import type { RouteContext } from '../route-context.js';
import { idOf } from './shared.js';

/** Fixed notices for ?done=…, so nothing from the address is echoed into the page. */
const DONE: Record<string, string> = {
  report: 'Thank you. Your report was sent; you can follow it here.',
  appeal: 'Your appeal was sent to peers who were not involved.',
  checkin: 'Your message was sent.',
  volunteer: 'Your choices were saved.',
  naming: 'Your choice was saved: the public log follows it.',
};

/** The moderation page (my reports, actions about me, check-ins, volunteering, blocks) and check-ins. */
export function hubRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;

  router.get(
    '/moderation',
    asyncHandler(async (req, res) => {
      const viewer = req.user;
      const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
      const instanceLog = withEventWords(await mod.governance.instanceLog(viewer, undefined, 10));
      const instanceProposals = await mod.proposals.list(null);
      if (!viewer || viewer.status !== 'active') {
        return res.render('moderation/hub', { title: 'Moderation', instanceLog, instanceProposals });
      }
      const reports = (await mod.reports.mine(viewer)).map((r) => ({ ...r, reasonLabel: reasonLabel(r.reason), statusText: reportStatusText(r.status, r.outcome) }));
      const aboutMe = await Promise.all(
        (await mod.actions.affecting(viewer)).map(async (a) => ({ ...a, label: ACTION_KINDS[a.kind].label, appeal: await mod.appeals.forAction(a.id) })),
      );
      res.render('moderation/hub', {
        title: 'Moderation',
        done,
        instanceLog,
        instanceProposals,
        reports,
        aboutMe,
        checkIns: await mod.safety.checkIns(viewer),
        moderating: await mod.governance.moderatedBy(viewer),
        stewardQueue: await mod.governance.moderates(viewer, null),
        appeals: (await mod.appeals.toDecide(viewer)).map((a) => ({ ...a, label: ACTION_KINDS[a.action.kind].label })),
        volunteering: await mod.safety.volunteering(viewer),
        blocked: await mod.safety.blocked(viewer),
      });
    }),
  );

  router.post(
    '/moderation/volunteer',
    requireLogin,
    form({
      fields: ['checkIn', 'appealPanel'],
      run: (f, req) => mod.safety.setVolunteering(member(req), { checkIn: f.checkIn === 'on', appealPanel: f.appealPanel === 'on' }),
      redirect: () => '/moderation?done=volunteer',
    }),
  );

  // The member an action affects chooses whether the public log names them.
  router.post(
    '/moderation/actions/:id/naming',
    requireLogin,
    form({
      fields: ['named'],
      run: (f, req) => mod.actions.chooseNaming(member(req), idOf(req.params.id, 'That action'), f.named === 'yes'),
      redirect: () => '/moderation?done=naming',
    }),
  );

  router.post(
    '/moderation/blocks',
    requireLogin,
    limits.blocks,
    form({
      fields: ['handle', 'unblock'],
      run: (f, req) => (f.unblock === '1' ? mod.safety.unblock(member(req), f.handle) : mod.safety.block(member(req), f.handle)),
      redirect: () => '/moderation#blocks',
    }),
  );

  router.post(
    '/check-ins/:id/reply',
    requireLogin,
    limits.posting,
    form({
      fields: ['body'],
      run: (f, req) => mod.safety.replyToCheckIn(member(req), idOf(req.params.id, 'That check-in'), f.body),
      redirect: () => '/moderation?done=checkin#check-ins',
    }),
  );

  // ---- worried-about-someone reports, for check-in volunteers ----------------
  router.get(
    '/check-ins/worried',
    requireLogin,
    asyncHandler(async (req, res) => {
      const reports = await mod.reports.worried(member(req));
      const withPosts = await Promise.all(
        reports.map(async (r) => ({
          ...r,
          post: r.postId ? await services.threads.locate(r.postId, req.user).then((x) => x.post, () => undefined) : undefined,
          person: r.memberId ? await services.members.findById(r.memberId) : undefined,
        })),
      );
      res.render('moderation/worried', { title: 'Someone could use a check-in', reports: withPosts });
    }),
  );

  router.post(
    '/check-ins/worried/:id',
    requireLogin,
    form({
      fields: ['message'],
      run: (f, req) => mod.reports.checkIn(member(req), idOf(req.params.id, 'That report'), f.message),
      redirect: () => '/check-ins/worried',
    }),
  );
  return router;
}
