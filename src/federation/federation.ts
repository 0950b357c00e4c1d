import { Router, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { DomainEvents } from '../domain/events.js';
import { RemotePostService } from '../domain/threads/remote-post-service.js';
import type { Database, Queryable } from '../storage/database.js';
import type { Services } from '../services.js';
import { renderMarkdown } from '../content/render-pool.js';
import { FollowedCircleService } from '../domain/followed/followed-circle-service.js';
import { ApexRemoteGroups } from './remote-groups.js';
import { actorIris } from './actor-iris.js';
import { ActorKeys } from './actor-keys.js';
import { activityPubGetRoutes } from './activitypub-get-routes.js';
import { createApex } from './apex-setup.js';
import { PostgresApexStore } from './apex-store/postgres-apex-store.js';
import { DeliveryWorker } from './delivery-worker.js';
import { Farewell } from './farewell.js';
import { directHandler, inboxHandler, type InboxEvent } from './inbox-handlers.js';
import { InboxRouter } from './inbox-recipient.js';
import { inboxRoutes } from './inbox-routes.js';
import { InboxVerifier } from './inbox-verifier.js';
import { LocalActors } from './local-actors.js';
import { ModerationPublisher } from './moderation-publisher.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { MeetingPublisher } from './meeting-publisher.js';
import { noteIris } from './serializers/note.js';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from './safe-fetch.js';
import { wellKnownRoutes } from './well-known-routes.js';
import { WebFingerMentions } from './webfinger.js';
import { InFlight } from './in-flight.js';
import { OutboxWorker } from './outbox-worker.js';
import { FollowersAddressing } from './followers-addressing.js';
import { incomingState, recordIncoming } from '../storage/repositories/outbox-event-repository.js';
import { readWorkNotice, WORK_CHANNEL, type WorkQueue } from '../storage/work-notices.js';
import { HearthError } from '../domain/errors.js';
import { createHash } from 'node:crypto';
import { claimInboxSignature } from '../storage/repositories/inbox-replay-repository.js';
import { inboxAfterWork } from './inbox-routes.js';

export interface Federation {
  /** Mounted before the HTML pages: the same URLs answer ActivityPub JSON. */
  routes: RequestHandler[];
  /** Hooks apex's inbox event to Hearth once the Express app exists. */
  attach(app: Express): void;
  worker: DeliveryWorker;
  /** Turns recorded federating events (the transactional outbox) into activities and deliveries. */
  outbox: OutboxWorker;
  /** Applies stored incoming activities (the durable inbox). */
  inbox: OutboxWorker;
  /**
   * Starts the three workers (delivery, outbox, inbox) and listens for work
   * other processes queue (NOTIFY on `hearth_work`), so they wake at once
   * rather than at their next poll. Resolves once listening.
   */
  start(): Promise<void>;
  /** Stops listening and the workers, after their current runs. */
  stop(): Promise<void>;
  remotePosts: RemotePostService;
  /** Circles members follow on other servers (the web layer's "Followed circles"). */
  followed: FollowedCircleService;
  /** @user@host mentions found by WebFinger (the domain's `RemoteMentions` port). */
  remoteMentions: WebFingerMentions;
  /** apex's store (tests and the benchmark seed followers through it). */
  store: PostgresApexStore;
  /** Tells other servers that a member left (the right to leave). */
  farewell: Farewell;
  /**
   * Resolves when federation has nothing left in hand: every inbox request's
   * after-work (apex's steps and Hearth's reaction), every publishing event
   * handler, and the delivery worker's current run. Tests wait for this
   * rather than for time to pass.
   */
  settled(): Promise<void>;
}

/** An activity Hearth handles itself, as stored in `inbox_events`: the whole activity and who signed it. */
interface DirectPayload {
  direct: true;
  activity: Record<string, unknown>;
  signer: string;
}

function isDirectPayload(payload: unknown): payload is DirectPayload {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as Record<string, unknown>;
  return p.direct === true && typeof p.signer === 'string' && typeof p.activity === 'object' && p.activity !== null && !Array.isArray(p.activity);
}

/** Everything ActivityPub, composed: apex on PostgreSQL, Hearth's inbox checks, publishing and delivery. */
export function createFederation(o: {
  db: Database;
  config: Config;
  services: Omit<Services, 'followed'>;
  events: DomainEvents;
  clock: Clock;
  logger: Logger;
  version: string;
  /** A post from a followed circle was stored: its watchers' notifications, in that transaction. */
  postReceived?: (tx: Queryable, postId: number) => Promise<void>;
  /** Told of a Like from elsewhere on a post here, inside its transaction (notifications). */
  likeReceived?: (tx: Queryable, postId: number, remoteActorId: number) => Promise<void>;
}): Federation {
  const origin = o.config.publicUrl.origin;
  const iris = actorIris(o.config.publicUrl);
  const keys = new ActorKeys(o.db);
  const policy: FetchPolicy = {
    ...DEFAULT_FETCH_POLICY,
    allowHttp: o.config.federation.allowHttp,
    allowPrivateAddresses: o.config.federation.allowPrivateAddresses,
  };
  const inFlight = new InFlight();
  const events = inFlight.events(o.events);
  const store = new PostgresApexStore({ db: o.db });
  const apex = createApex({ store, publicUrl: o.config.publicUrl, iris, keys, policy, logger: o.logger, version: o.version });
  const localActors = new LocalActors(apex, o.services, keys, iris, o.config.publicUrl.host);
  const remotePosts = new RemotePostService(o.db, o.services.circles, o.events, o.clock, (q, actorId, circleId) => o.services.moderation.safety.remoteMayPost(q, actorId, circleId), o.services.mentions, o.likeReceived);
  const worker = new DeliveryWorker({ db: o.db, pollMs: o.config.federation.workPollMs, policy, logger: o.logger, userAgent: `Hearth/${o.version} (+${origin})`, isBlockedHost: (host) => o.services.moderation.isBlockedHost(host) });
  const onQueued = () => worker.nudge();
  const outbox = new OutboxWorker({
    db: o.db,
    events: o.events,
    logger: o.logger,
    track: (work) => inFlight.track(work),
    onDelivered: onQueued,
    paused: o.config.federation.outboxPaused,
    pollMs: o.config.federation.workPollMs,
  });
  o.events.onRecorded(() => outbox.nudge());
  const followed = new FollowedCircleService(o.db, new ApexRemoteGroups(apex, localActors, policy, onQueued), renderMarkdown, o.events, o.clock, o.postReceived, o.services.mentions);
  const addressing = new FollowersAddressing(apex, store);
  const publisher = new OutboxPublisher({ apex, services: o.services, followed, localActors, origin, iris, logger: o.logger, onQueued, addressing });
  publisher.subscribe(events);
  new ModerationPublisher({ apex, db: o.db, services: o.services, localActors, publisher, iris, origin, logger: o.logger, onQueued, addressing }).subscribe(events);
  new MeetingPublisher({ apex, services: o.services, localActors, origin, iris, logger: o.logger, onQueued, addressing }).subscribe(events);
  const farewell = new Farewell({ apex, db: o.db, keys, localActors, iris: noteIris(iris, origin), logger: o.logger, onQueued });

  const collections = Router();
  const asActor = (prefix: 'c' | 'u'): RequestHandler => (req, _res, next) => {
    req.params.actor = prefix === 'c' ? `c/${req.params.slug}` : req.params.handle!;
    next();
  };
  const project: RequestHandler = (req, _res, next) => {
    const name = req.params.actor!;
    (name.startsWith('c/') ? localActors.circle(name.slice(2)) : localActors.member(name)).then(() => next(), next);
  };
  // An unlisted member's collections answer 404, like their page.
  const listedMember: RequestHandler = (req, res, next) => {
    o.services.members.getByHandle(req.params.handle!).then((m) => {
      if (m.profileListed) return next();
      res.status(404).type('application/activity+json').send(JSON.stringify({ error: 'Not found' }));
    }, next);
  };
  const n = apex.net;
  collections.get('/c/:slug/followers', asActor('c'), project, apex, ...(n.followers!.get as RequestHandler[]));
  collections.get('/c/:slug/outbox', asActor('c'), project, apex, ...(n.outbox!.get as RequestHandler[]));
  collections.get('/u/:handle/followers', listedMember, asActor('u'), project, apex, ...(n.followers!.get as RequestHandler[]));
  collections.get('/u/:handle/outbox', listedMember, asActor('u'), project, apex, ...(n.outbox!.get as RequestHandler[]));
  collections.get('/s/:id', apex, ...(n.activityStream!.get as RequestHandler[]));

  const handle = inboxHandler({ apex, remotePosts, followed, origin, logger: o.logger, onQueued });
  const direct = directHandler({
    apex,
    remotePosts,
    followed,
    origin,
    logger: o.logger,
    moderation: o.services.moderation,
    members: o.services.members,
    incoming: (activityId) => incomingState(o.db, activityId),
  });
  /** An activity Hearth handles itself, stored whole with its signer's id, applied by `direct.apply`. */
  const applyDirect = async (type: string, p: DirectPayload): Promise<void> => {
    const signer = (await apex.store.getObject(p.signer, true)) ?? (await apex.resolveObject(p.signer));
    if (!signer) {
      o.logger.info({ activity: p.activity.id, type }, 'stored incoming activity no longer applies: its sender is gone');
      return;
    }
    try {
      await direct.apply(p.activity, signer);
    } catch (error) {
      // A refusal is final; anything else goes back to the inbox worker, which logs it and tries again.
      if (!(error instanceof HearthError)) throw error;
      o.logger.info({ type, reason: error.message }, 'incoming activity not applied');
    }
  };
  /** A stored incoming activity, rebuilt as apex's inbox event, and Hearth's reaction to it. */
  const apply = async (type: string, payload: unknown): Promise<void> => {
    if (isDirectPayload(payload)) return applyDirect(type, payload);
    const p = payload as { activity: string; actor: string; recipient: string; object?: string };
    const activity = await apex.store.getActivity(p.activity, true);
    const recipient = await apex.store.getObject(p.recipient, true);
    const actor = (await apex.store.getObject(p.actor, true)) ?? (await apex.resolveObject(p.actor));
    if (!activity || !recipient || !actor) {
      // Removed meanwhile (an actor that left, a blocked server's activities): nothing to apply.
      o.logger.info({ activity: p.activity, type }, 'stored incoming activity no longer applies');
      return;
    }
    const object = p.object ? ((await apex.store.getActivity(p.object, true)) ?? (await apex.store.getObject(p.object, true)) ?? undefined) : undefined;
    await handle({ actor, activity, recipient, object });
  };
  const inbox = new OutboxWorker({
    db: o.db,
    table: 'inbox_events',
    handle: apply,
    logger: o.logger,
    track: (work) => inFlight.track(work),
    onDelivered: onQueued,
    paused: o.config.federation.inboxPaused,
    pollMs: o.config.federation.workPollMs,
  });
  const routes: RequestHandler[] = [
    wellKnownRoutes({ db: o.db, publicUrl: o.config.publicUrl, iris, instance: o.services.instance, clock: o.clock }),
    activityPubGetRoutes({ services: o.services, iris, keys, publicUrl: o.config.publicUrl, departed: (handle) => farewell.tombstone(handle) }),
    inboxRoutes({
      apex,
      verifier: new InboxVerifier(apex, o.clock, o.logger, (signature, ttlMs) => claimInboxSignature(o.db, signature, ttlMs)),
      localActors,
      recipients: new InboxRouter(origin, o.services, remotePosts),
      gate: o.services.moderation.gate,
      direct: (activity, signer) => direct.claims(activity, signer),
      recordDirect: async (activity, signer, rawBody) => {
        // One row per activity id (an activity without one is known by its body): a second delivery is not applied again.
        const key = typeof activity.id === 'string' ? activity.id : `urn:hearth:body:${createHash('sha256').update(rawBody).digest('hex')}`;
        const payload: DirectPayload = { direct: true, activity, signer: signer.id };
        if (await recordIncoming(o.db, key, String(activity.type), payload)) inbox.nudge();
      },
      logger: o.logger,
      inFlight,
      record: async (e) => {
        const objectId = e.object && typeof e.object.id === 'string' ? e.object.id : undefined;
        await recordIncoming(o.db, e.activity.id, String(e.activity.type), { activity: e.activity.id, actor: e.actor.id, recipient: e.recipient.id, object: objectId });
      },
    }),
    collections,
  ];

  let stopListening: (() => Promise<void>) | undefined;
  return {
    routes,
    worker,
    outbox,
    inbox,
    remotePosts,
    remoteMentions: new WebFingerMentions(policy),
    store,
    followed,
    farewell,
    attach(app) {
      // Express's app is an EventEmitter; its typings only know "mount".
      (app as unknown as NodeJS.EventEmitter).on('apex-inbox', (event: InboxEvent) => {
        // The activity was stored before the answer (the durable inbox): the inbox worker applies it.
        const handed = inboxAfterWork.get(event);
        inbox.nudge();
        handed?.();
      });
    },
    async start() {
      worker.start();
      outbox.start();
      inbox.start();
      const wake: Record<WorkQueue, () => void> = { deliveries: () => worker.nudge(), outbox: () => outbox.nudge(), inbox: () => inbox.nudge() };
      // This process's own notifications are heard too: at most one more look, which finds nothing.
      const heard = (payload: string) => {
        const queue = readWorkNotice(payload);
        if (queue) wake[queue]();
      };
      // Notifications missed while the listening connection was down: look at everything now.
      const missed = () => {
        for (const nudge of Object.values(wake)) nudge();
      };
      stopListening = await o.db.listen(WORK_CHANNEL, heard, missed);
    },
    async stop() {
      const stopping = stopListening;
      stopListening = undefined;
      await stopping?.();
      await inbox.stop();
      await outbox.stop();
      await worker.stop();
    },
    async settled() {
      await inFlight.idle();
      await outbox.idle();
      await inbox.idle();
      await worker.idle();
      await inFlight.idle();
    },
  };
}
