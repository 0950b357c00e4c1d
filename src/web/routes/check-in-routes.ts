import { Router, type Request, type RequestHandler } from 'express';
import { CHECK_IN_CHOICES, requestStatusText } from '../../domain/check-ins/check-in.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { PLAN_SECTIONS } from '../../domain/wellbeing/support-plan.js';
import { asyncHandler } from '../../http/async-handler.js';
import { formPage } from '../form-route.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';
import { msg, type MessageRef } from '../../i18n/message.js';

/** Fixed notices for ?done=…, so nothing from the address is echoed into the page. */
const DONE: Record<string, MessageRef> = {
  asked: msg('together.done.asked'),
  kept: msg('together.done.kept'),
  self: msg('together.done.self'),
  sent: msg('together.done.sent'),
  reply: msg('together.done.reply'),
  choice: msg('together.done.choice'),
  volunteer: msg('together.done.choice'),
};

function idOf(raw: unknown, notHere: MessageRef): number {
  const id = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError(notHere);
  return id;
}

/**
 * Peers checking in on each other — its own place, apart from moderation:
 * asking a peer to check in (on someone, or on oneself), the volunteers' list
 * and writing page, the check-ins a member received (and replies), and who
 * may check in on them.
 */
export function checkInRoutes({ services, limits, form }: RouteContext): Router {
  const router = Router();
  const checkIns = services.checkIns;
  const privatePage: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  };

  // ---- asking for someone ------------------------------------------------------
  const askTarget = async (req: Request) => {
    const q = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown>;
    const given = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
    const postId = given('post') !== undefined ? idOf(given('post'), msg('together.checkin.post_not_here')) : undefined;
    const memberHandle = given('member');
    const post = postId !== undefined ? (await services.threads.locate(postId, req.user)).post : undefined;
    return { postId, memberHandle, post };
  };
  const askPage = async (req: Request) => ({ title: msg('together.ask.title'), target: await askTarget(req) });

  router.get('/check-ins/ask', privatePage, requireLogin, formPage('check-ins/ask', askPage));

  router.post(
    '/check-ins/ask',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['post', 'member', 'note'],
      once: true,
      run: async (f, req) => {
        const target = await askTarget(req);
        if (target.postId === undefined && !target.memberHandle) throw new ValidationError({ member: msg('together.checkin.say_who') });
        return checkIns.ask(member(req), { postId: target.postId, memberHandle: target.memberHandle, note: f.note });
      },
      redirect: (outcome) => (outcome.passedOn ? '/check-ins?done=asked' : '/check-ins?done=kept'),
      form: { view: 'check-ins/ask', page: askPage },
    }),
  );

  // ---- the member's own page ---------------------------------------------------
  const minePage = async (req: Request) => {
    const viewer = member(req);
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const choice = await checkIns.choice(viewer);
    const requests = (await checkIns.requestsBy(viewer)).map((r) => ({ ...r, statusText: requestStatusText(r.status) }));
    return {
      title: msg('together.checkins.title'),
      done,
      messages: await checkIns.mine(viewer),
      requests,
      choices: CHECK_IN_CHOICES,
      values: { choice: choice.choice, peers: choice.peers.join(' ') },
      volunteering: await checkIns.volunteering(viewer),
      waitingCount: (await checkIns.waiting(viewer)).length,
    };
  };

  router.get('/check-ins', privatePage, requireLogin, formPage('check-ins/mine', minePage));

  router.post(
    '/check-ins/ask-for-me',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['selfNote'],
      once: true,
      run: (f, req) => checkIns.ask(member(req), { forSelf: true, note: f.selfNote }),
      redirect: () => '/check-ins?done=self',
      form: { view: 'check-ins/mine', page: minePage },
    }),
  );

  router.post(
    '/check-ins/choice',
    privatePage,
    requireLogin,
    form({
      fields: ['choice', 'peers'],
      run: (f, req) => checkIns.setChoice(member(req), f),
      redirect: () => '/check-ins?done=choice#who-may',
      form: { view: 'check-ins/mine', page: minePage },
    }),
  );

  router.post(
    '/check-ins/volunteer',
    privatePage,
    requireLogin,
    form({
      fields: ['checkIn'],
      run: (f, req) => checkIns.setVolunteering(member(req), f.checkIn === 'on'),
      redirect: () => '/check-ins?done=volunteer#offer',
    }),
  );

  router.post(
    '/check-ins/:id/reply',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['body'],
      once: true,
      run: (f, req) => checkIns.reply(member(req), idOf(req.params.id, msg('together.checkin.not_here')), f.body),
      redirect: () => '/check-ins?done=reply#messages',
      form: { view: 'check-ins/mine', page: minePage },
    }),
  );

  // A check-in can continue as a private conversation, if both want: the peer
  // receives it as a conversation request, which they accept or ignore.
  router.post(
    '/check-ins/:id/conversation',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['conversationBody'],
      once: true,
      run: async (f, req) => {
        const viewer = member(req);
        const id = idOf(req.params.id, msg('together.checkin.not_here'));
        const checkIn = (await checkIns.mine(viewer)).find((c) => c.id === id);
        if (!checkIn) throw new NotFoundError(msg('together.checkin.not_here'));
        return services.conversations.startFromCheckIn(viewer, checkIn, { body: f.conversationBody });
      },
      redirect: (started) => `/conversations/${started.conversationId}#message-${started.messageId}`,
      form: { view: 'check-ins/mine', page: minePage },
    }),
  );

  // ---- for peers who offered to check in ----------------------------------------
  router.get(
    '/check-ins/waiting',
    privatePage,
    requireLogin,
    asyncHandler(async (req, res) => {
      const viewer = member(req);
      const requests = await Promise.all(
        (await checkIns.waiting(viewer)).map(async (r) => ({
          ...r,
          post: r.postId ? await services.threads.locate(r.postId, req.user).then((x) => x.post, () => undefined) : undefined,
        })),
      );
      res.render('check-ins/waiting', { title: msg('together.waiting.title'), requests, volunteering: await checkIns.volunteering(viewer), sent: req.query.sent === '1' });
    }),
  );

  const writePage = async (req: Request) => {
    const page = await checkIns.writing(member(req), idOf(req.params.id, msg('together.checkin.request_not_here')));
    const post = page.request.postId ? await services.threads.locate(page.request.postId, req.user).then((x) => x.post, () => undefined) : undefined;
    const plan = page.plan ? PLAN_SECTIONS.map((s) => ({ label: s.label, text: page.plan![s.field] })).filter((s) => s.text !== '') : undefined;
    return { title: msg('together.write.title', { handle: page.person.handle }), ...page, post, plan };
  };

  router.get('/check-ins/waiting/:id', privatePage, requireLogin, formPage('check-ins/write', writePage));

  router.post(
    '/check-ins/waiting/:id',
    privatePage,
    requireLogin,
    limits.posting,
    form({
      fields: ['message'],
      once: true,
      run: (f, req) => checkIns.send(member(req), idOf(req.params.id, msg('together.checkin.request_not_here')), f.message),
      redirect: () => '/check-ins/waiting?sent=1',
      form: { view: 'check-ins/write', page: writePage },
    }),
  );
  return router;
}
