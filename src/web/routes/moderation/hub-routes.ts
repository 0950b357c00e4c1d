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
  volunteer: 'Your choices were saved.',
  naming: 'Your choice was saved: the public log follows it.',
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
        moderatorMessages: await mod.safety.moderatorMessages(viewer),
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

  return router;
}
