import { Router, type Request, type RequestHandler } from 'express';
import { REPORT_REASONS } from '../../../moderation/index.js';
import { CONVERSATION_LIMITS } from '../../domain/conversations/conversation.js';
import { messageLink } from '../../domain/conversations/conversation-service.js';
import { NotFoundError } from '../../domain/errors.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { formPage } from '../form-route.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { msg, type MessageRef } from '../../i18n/message.js';

function idOf(raw: string | undefined, notHere: MessageRef): number {
  const n = idParam(raw);
  if (!n) throw new NotFoundError(notHere);
  return n;
}

/** Private conversations (/conversations): on this instance only, read by the people in them. */
export function conversationRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  const c = services.conversations;
  // A member's conversations are never kept anywhere but their own browser.
  const privatePage: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  };
  const conversationId = (req: Request) => idOf(req.params.id, msg('together.conversation.not_here'));

  router.get(
    '/conversations',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      const { conversations, requests } = await c.list(member(req));
      const named = <T extends { others: string[] }>(list: T[]) => list.map((x) => ({ ...x, names: x.others.join(', ') }));
      res.render('conversations', { title: msg('together.conversations.title'), conversations: named(conversations), requests: named(requests), left: req.query.left === '1', ignored: req.query.ignored === '1' });
    }),
  );

  const newPage = (req: Request) => ({
    title: msg('together.conversations.start'),
    limits: CONVERSATION_LIMITS,
    values: { to: typeof req.query.to === 'string' ? req.query.to.slice(0, 300) : '' },
  });
  router.get('/conversations/new', privatePage, requireLogin, formPage('conversation-new', newPage));
  router.post(
    '/conversations/new',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['to', 'body'],
      once: true,
      run: (f, req) => c.start(member(req), f),
      redirect: (r) => messageLink(r.conversationId, r.messageId),
      form: { view: 'conversation-new', page: () => ({ title: msg('together.conversations.start'), limits: CONVERSATION_LIMITS }) },
    }),
  );

  const conversationPage = async (req: Request) => {
    const view = await c.view(member(req), conversationId(req));
    const names = view.others.map((p) => p.displayName || p.handle);
    return {
      title: names.length > 0 ? msg('together.conversation.title_with', { names: names.join(', ') }) : msg('together.conversation.title'),
      conversation: { ...view, handles: view.others.map((p) => `@${p.handle}`).join(', ') },
      limits: CONVERSATION_LIMITS,
      reported: req.query.reported === '1',
    };
  };
  router.get(
    '/conversations/:id',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      res.render('conversation', { ...(await conversationPage(req)), values: {} });
    }),
  );
  router.post(
    '/conversations/:id/messages',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['body'],
      once: true,
      run: (f, req) => c.reply(member(req), conversationId(req), f),
      redirect: (r, req) => messageLink(conversationId(req), r.messageId),
      form: { view: 'conversation', page: conversationPage },
    }),
  );

  const answer = (path: string, run: (req: Request) => Promise<void>, redirect: (req: Request) => string) =>
    router.post(path, privatePage, requireLogin, form({ fields: [], run: (_f, req) => run(req), redirect: (_r, req) => redirect(req), form: { view: 'conversation', page: conversationPage } }));
  answer('/conversations/:id/accept', (req) => c.accept(member(req), conversationId(req)), (req) => `/conversations/${conversationId(req)}`);
  answer('/conversations/:id/ignore', (req) => c.ignore(member(req), conversationId(req)), () => '/conversations?ignored=1');
  answer('/conversations/:id/leave', (req) => c.leave(member(req), conversationId(req)), () => '/conversations?left=1');

  // Reporting a message to the stewards: its text goes with the report only if the reporter says so.
  const reportPage = async (req: Request) => {
    const id = conversationId(req);
    const message = await c.messageForReport(member(req), id, idOf(req.params.messageId, msg('together.conversation.message_not_here')));
    return { title: msg('together.report.title'), conversationId: id, message, reasons: REPORT_REASONS };
  };
  router.get('/conversations/:id/messages/:messageId/report', privatePage, requireLogin, formPage('conversation-report', reportPage));
  router.post(
    '/conversations/:id/messages/:messageId/report',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['reason', 'note', 'includeText'],
      once: true,
      run: async (f, req) => {
        const { message } = await reportPage(req);
        return services.moderation.reports.report(member(req), {
          conversationMessage: { id: message.id, authorId: message.authorId, includeText: f.includeText === 'on' },
          reason: f.reason === 'worried' ? undefined : f.reason,
          note: f.note,
        });
      },
      redirect: (_r, req) => `/conversations/${conversationId(req)}?reported=1`,
      form: { view: 'conversation-report', page: reportPage },
    }),
  );

  return router;
}
