import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Apex, ApexObject } from 'activitypub-express';
import type { Logger } from 'pino';
import type { ModerationGate } from '../../moderation/index.js';
import type { InboxVerifier } from './inbox-verifier.js';
import type { LocalActors } from './local-actors.js';
import type { InboxRouter } from './inbox-recipient.js';
import { INSTANCE_ACTOR_NAME } from './apex-setup.js';
import type { InFlight } from './in-flight.js';
import { parseUrl } from '../domain/urls.js';

/**
 * Inbox requests whose after-work is still to come: apex saves and applies
 * an activity before answering, then emits `apex-inbox` with this message
 * once the response is sent; federation resolves the entry when Hearth's
 * reaction to it is done.
 */
export const inboxAfterWork = new WeakMap<object, () => void>();

const ACTIVITY_TYPES = ['application/activity+json', 'application/ld+json'];
export const INBOX_BODY_LIMIT = 512 * 1024;

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('application/json').send(JSON.stringify({ error: message }));
}

function actorIdOf(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  return undefined;
}

/**
 * Inboxes: each circle's and member's, the shared inbox and the instance
 * actor's. Hearth checks what apex does not (size, JSON shape, signature with
 * Digest and Date, actor = signer, replays, blocked servers), refusing (4xx)
 * before anything is stored. What passes is durable before the 2xx: an
 * activity Hearth handles itself (Like, Undo of a Like, Flag, Announce…) is
 * stored in `inbox_events` at once; anything else goes through apex's own
 * inbox steps, which save it, and is then stored there too. The inbox worker
 * applies Hearth's reaction to both, with retries, once per activity id.
 */
export function inboxRoutes(o: {
  apex: Apex;
  verifier: InboxVerifier;
  localActors: LocalActors;
  recipients: InboxRouter;
  gate: ModerationGate;
  /** Whether Hearth handles an activity itself (answered 202); false lets apex process it. Reads only. */
  direct: (activity: Record<string, unknown>, signer: ApexObject) => Promise<boolean>;
  /** Stores an activity Hearth handles itself, before the 202, for the inbox worker to apply (the durable inbox). */
  recordDirect: (activity: Record<string, unknown>, signer: ApexObject, rawBody: Buffer) => Promise<void>;
  logger: Logger;
  inFlight: InFlight;
  /** Stores an activity apex accepted, before the 2xx, for the inbox worker to apply (the durable inbox). */
  record: (event: { actor: ApexObject; activity: ApexObject; recipient: ApexObject; object?: ApexObject | undefined }) => Promise<void>;
}): Router {
  const router = Router();
  const raw = express.raw({ type: ACTIVITY_TYPES, limit: INBOX_BODY_LIMIT });
  const n = o.apex.net;
  const apexSteps: RequestHandler[] = [
    o.apex,
    n.validators.jsonld!,
    n.validators.targetActorWithMeta!,
    (_req, res, next) => {
      res.locals.apex.sender = res.locals.signer;
      next();
    },
    n.validators.actor!,
    n.validators.activityObject!,
    n.validators.inboxActivity!,
    n.activity.save!,
    n.activity.resolveThread!,
    n.activity.inboxSideEffects!,
    n.activity.forwardFromInbox!,
    // Durable before the answer: stored now, applied by the inbox worker (retried, once per activity id).
    (_req, res, next) => {
      const apexLocal = res.locals.apex as { eventName?: string; eventMessage?: Parameters<typeof o.record>[0] } | undefined;
      if (apexLocal?.eventName !== 'apex-inbox' || !apexLocal.eventMessage) return next();
      o.record(apexLocal.eventMessage).then(() => next(), next);
    },
    n.responders.status!,
  ];

  /** Tracks a request until apex has handed its event over (or there is none). */
  const trackAfterWork: RequestHandler = (_req, res, next) => {
    const done = o.inFlight.open();
    const finished = () => {
      const apexLocal = res.locals.apex as { eventName?: string; eventMessage?: object } | undefined;
      if (apexLocal?.eventName === 'apex-inbox' && apexLocal.eventMessage) {
        inboxAfterWork.set(apexLocal.eventMessage, done);
        // apex skips the event when its after-response work fails; do not wait for it for ever.
        setTimeout(done, 30_000).unref();
      } else done();
    };
    res.once('finish', finished);
    res.once('close', () => {
      if (!res.writableFinished) done();
    });
    next();
  };

  const check = async (req: Request, res: Response, next: NextFunction) => {
    if (!req.is(ACTIVITY_TYPES)) return refuse(res, 415, 'Send activities as application/activity+json');
    if (!Buffer.isBuffer(req.body)) return refuse(res, 400, 'The request has no body');
    const rawBody = req.body;
    let activity: unknown;
    try {
      activity = JSON.parse(rawBody.toString('utf8'));
    } catch (error) {
      if (error instanceof SyntaxError) return refuse(res, 400, 'The body is not valid JSON');
      throw error;
    }
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) return refuse(res, 400, 'An activity is a JSON object');
    const a = activity as Record<string, unknown>;
    const actorId = actorIdOf(a.actor);
    if (typeof a.type !== 'string' || !actorId || (a.id !== undefined && typeof a.id !== 'string')) {
      return refuse(res, 400, 'An activity needs a type, an actor and (if any) a string id');
    }
    const actorUrl = parseUrl(actorId);
    if (!actorUrl) return refuse(res, 400, 'The actor is not a URL');
    const parts = { method: req.method, path: req.originalUrl, headers: req.headers };
    // What needs no query or fetch first: unsigned or stale requests cost nothing more.
    const early = o.verifier.precheck(parts, rawBody, actorId);
    if (!early.ok) return refuse(res, early.status, `Signature check failed: ${early.reason}`);
    const gate = await o.gate.admit({ originHost: actorUrl.host, actorId });
    if (!gate.accept) return refuse(res, 403, gate.reason);
    const verdict = await o.verifier.verify(parts, rawBody, actorId, early.signature);
    if (!verdict.ok) {
      o.logger.info({ reason: verdict.reason, actor: actorId }, 'inbox request refused');
      if (verdict.status === 429) res.setHeader('Retry-After', '60');
      return refuse(res, verdict.status, `Signature check failed: ${verdict.reason}`);
    }
    // Someone may only create or change their own posts.
    const object = Array.isArray(a.object) ? a.object[0] : a.object;
    if ((a.type === 'Create' || a.type === 'Update') && typeof object === 'object' && object !== null) {
      const authors = [(object as Record<string, unknown>).attributedTo].flat().map(actorIdOf).filter(Boolean);
      if (authors.length > 0 && !authors.includes(actorId)) return refuse(res, 403, "The post's author is not the one sending it");
    }
    res.locals.signer = verdict.signer;
    if (await o.direct(a, verdict.signer)) {
      // Durable before the answer: stored now, applied by the inbox worker (retried, once per activity id).
      await o.recordDirect(a, verdict.signer, rawBody);
      return void res.status(202).end();
    }
    req.body = a;
    // Which of Hearth's actors this is for.
    const name = await o.recipients.recipientFor(req, a);
    if (!name) return void res.status(202).end();
    if (name.startsWith('c/')) await o.localActors.circle(name.slice(2));
    else if (name === INSTANCE_ACTOR_NAME) await o.localActors.instance();
    else await o.localActors.member(name);
    req.params.actor = name;
    next();
  };

  const wrap = (fn: typeof check): RequestHandler => (req, res, next) => {
    fn(req, res, next).catch(next);
  };

  for (const path of ['/c/:slug/inbox', '/u/:handle/inbox', '/inbox', '/actor/inbox']) {
    router.post(path, trackAfterWork, raw, wrap(check), ...apexSteps);
  }
  return router;
}
