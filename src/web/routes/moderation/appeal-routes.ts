import { Router, type Request } from 'express';
import { member, requireLogin } from '../../guards.js';
import type { RouteContext } from '../route-context.js';
import { idOf } from './shared.js';
import { formPage } from '../../form-route.js';
import { msg } from '../../../i18n/message.js';

/** Appealing an action (the member it affected) and deciding appeals (uninvolved peers). */
export function appealRoutes({ services, form }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;

  const appealPage = async (req: Request) => {
    const action = await mod.actions.mineToAppeal(member(req), idOf(req.params.id, msg('moderation.missing.action')));
    return { title: msg('moderation.appeal.title'), action, label: msg(`moderation.action_kind.${action.kind}`) };
  };

  router.get(
    '/moderation/actions/:id/appeal',
    requireLogin,
    formPage('moderation/appeal', appealPage),
  );

  router.post(
    '/moderation/actions/:id/appeal',
    requireLogin,
    form({
      fields: ['statement', 'nameMe'],
      once: true,
      run: async (f, req) => {
        const actionId = idOf(req.params.id, msg('moderation.missing.action'));
        const appealId = await mod.appeals.appeal(member(req), actionId, f.statement);
        // The log leaves the member's handle out unless they choose to be named, e.g. now.
        if (f.nameMe === 'on') await mod.actions.chooseNaming(member(req), actionId, true);
        return appealId;
      },
      redirect: () => '/moderation?done=appeal',
      form: { view: 'moderation/appeal', page: appealPage },
    }),
  );

  router.post(
    '/appeals/:id',
    requireLogin,
    form({
      fields: ['decision', 'reason'],
      run: (f, req) => mod.appeals.decide(member(req), idOf(req.params.id, msg('moderation.missing.appeal')), f.decision, f.reason),
      redirect: () => '/moderation#appeals',
    }),
  );
  return router;
}
