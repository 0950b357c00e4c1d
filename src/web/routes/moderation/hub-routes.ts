import { Router } from 'express';
import { msg, type MessageRef } from '../../../i18n/message.js';
import { asyncHandler } from '../../../http/async-handler.js';
import { member, requireLogin } from '../../guards.js';
import { withEventWords } from '../../moderation-words.js';
import type { RouteContext } from '../route-context.js';
import { idOf, reasonWords, reportStatusWords } from './shared.js';

/** Fixed notices for ?done=…, so nothing from the address is echoed into the page. */
const DONE: Record<string, MessageRef> = {
  report: msg('moderation.hub.done.report'),
  appeal: msg('moderation.hub.done.appeal'),
  volunteer: msg('moderation.hub.done.volunteer'),
  naming: msg('moderation.hub.done.naming'),
};

/** The moderation page (my reports, actions about me, moderators' messages, appeal panels, blocks). Peers' check-ins live apart (check-in-routes.ts). */
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
        return res.render('moderation/hub', { title: msg('moderation.hub.title'), instanceLog, instanceProposals });
      }
      const reports = (await mod.reports.mine(viewer)).map((r) => ({ ...r, reasonLabel: reasonWords(r.reason), statusText: reportStatusWords(r.status, r.outcome) }));
      const aboutMe = await Promise.all(
        (await mod.actions.affecting(viewer)).map(async (a) => ({ ...a, label: msg(`moderation.action_kind.${a.kind}`), appeal: await mod.appeals.forAction(a.id) })),
      );
      res.render('moderation/hub', {
        title: msg('moderation.hub.title'),
        done,
        instanceLog,
        instanceProposals,
        reports,
        aboutMe,
        moderatorMessages: await mod.safety.moderatorMessages(viewer),
        moderating: await mod.governance.moderatedBy(viewer),
        stewardQueue: await mod.governance.moderates(viewer, null),
        appeals: (await mod.appeals.toDecide(viewer)).map((a) => ({ ...a, label: msg(`moderation.action_kind.${a.action.kind}`) })),
        volunteering: await mod.safety.volunteering(viewer),
        blocked: await mod.safety.blocked(viewer),
      });
    }),
  );

  router.post(
    '/moderation/volunteer',
    requireLogin,
    form({
      fields: ['appealPanel'],
      run: (f, req) => mod.safety.setVolunteering(member(req), { appealPanel: f.appealPanel === 'on' }),
      redirect: () => '/moderation?done=volunteer',
    }),
  );

  // The member an action affects chooses whether the public log names them.
  router.post(
    '/moderation/actions/:id/naming',
    requireLogin,
    form({
      fields: ['named'],
      run: (f, req) => mod.actions.chooseNaming(member(req), idOf(req.params.id, msg('moderation.missing.action')), f.named === 'yes'),
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

  return router;
}
