import { Router, type Request } from 'express';
import { ACTION_KINDS } from '../../../../moderation/index.js';
import { asyncHandler } from '../../../http/async-handler.js';
import { idParam } from '../../../http/params.js';
import { member, requireLogin } from '../../guards.js';
import type { RouteContext } from '../route-context.js';
import { msg } from '../../../i18n/message.js';
import { idOf, optionalInt } from './shared.js';

const ACT_FIELDS = ['kind', 'circle', 'post', 'thread', 'member', 'remote', 'host', 'report', 'agreement', 'reason', 'hours', 'message', 'contentWarning', 'slowMinutes', 'withholdName', 'emergency'] as const;

/** One agreement to choose from: what the action records, and how the list shows it. */
function agreementChoice(scope: 'circle' | 'instance', number: number, version: number, text: string) {
  return {
    value: `${scope === 'circle' ? 'Circle' : 'Instance'} agreement ${number} (version ${version}): ${text}`,
    label: msg(scope === 'circle' ? 'moderation.act.agreement_circle' : 'moderation.act.agreement_instance', { number, version, text }),
  };
}

/** Acting as a moderator (or a steward, for the instance): the form and what it does. */
export function actionRoutes({ services, form }: RouteContext): Router {
  const router = Router();
  const mod = services.moderation;

  const actPage = async (req: Request) => {
    const src = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown>;
    const text = (k: string) => (typeof src[k] === 'string' ? (src[k] as string) : '');
    const postId = text('post') ? idOf(text('post'), msg('moderation.missing.post')) : undefined;
    const threadId = text('thread') ? idOf(text('thread'), msg('moderation.missing.thread')) : undefined;
    let circleSlug = text('circle') || undefined;
    let post;
    if (postId) {
      const found = await services.threads.locate(postId, req.user);
      post = found.post;
      circleSlug = found.circle.slug;
    }
    const circle = circleSlug ? await services.circles.get(circleSlug, req.user) : null;
    const agreements = await mod.governance.agreements(circle?.id ?? null);
    const instanceAgreements = circle ? (await mod.governance.agreements(null)).current : null;
    const scope = circle ? 'circle' : 'instance';
    const kinds = Object.values(ACTION_KINDS).filter((k) => {
      if (k.scope !== scope) return false;
      if (postId) return k.target === 'post' || k.target === 'member';
      if (threadId) return k.target === 'thread';
      if (text('member') || text('remote')) return k.target === 'member';
      return scope === 'instance';
    });
    return {
      title: circle ? msg('moderation.act.title_in', { name: circle.name }) : msg('moderation.act.title'),
      circle,
      post,
      target: { post: text('post'), thread: text('thread'), member: text('member'), remote: text('remote'), report: text('report'), host: text('host') },
      kinds: kinds.map((k) => ({ ...k, label: msg(`moderation.action_kind.${k.kind}`), days: k.hours ? Math.round(k.hours.default / 24) : null })),
      // The value is the agreement as the action records it (in the log's words); the label is in the reader's language.
      agreementChoices: [
        ...agreements.current.items.map((item, i) => agreementChoice(circle ? 'circle' : 'instance', i + 1, agreements.current.version, item)),
        ...(instanceAgreements ? instanceAgreements.items.map((item, i) => agreementChoice('instance', i + 1, instanceAgreements.version, item)) : []),
      ],
    };
  };

  router.get(
    '/moderation/act',
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('moderation/act', { ...(await actPage(req)), values: { kind: typeof req.query.kind === 'string' ? req.query.kind : '' } });
    }),
  );

  router.post(
    '/moderation/act',
    requireLogin,
    form({
      fields: ACT_FIELDS,
      once: true,
      run: async (f, req) => {
        const page = await actPage(req);
        const input = {
          kind: f.kind,
          circleSlug: page.circle?.slug,
          postId: idParam(f.post),
          threadId: idParam(f.thread),
          memberHandle: f.member || undefined,
          remoteActorId: idParam(f.remote),
          host: f.host || undefined,
          reportId: idParam(f.report),
          agreement: f.agreement,
          reason: f.reason,
          hours: optionalInt(f.hours),
          message: f.message,
          contentWarning: f.contentWarning,
          slowMinutes: optionalInt(f.slowMinutes),
          withholdName: f.withholdName === 'on',
        };
        if (f.emergency === 'on' && !page.circle) {
          const { proposal } = await mod.proposals.emergency(member(req), input);
          return `/proposals/${proposal.id}`;
        }
        await mod.actions.act(member(req), input);
        return page.circle ? `/c/${page.circle.slug}/review` : '/moderation/review';
      },
      redirect: (path) => path,
      form: { view: 'moderation/act', page: actPage },
    }),
  );
  return router;
}
