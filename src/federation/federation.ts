import { Router, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { DomainEvents } from '../domain/events.js';
import { RemotePostService } from '../domain/threads/remote-post-service.js';
import type { Database } from '../storage/database.js';
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
import { InFlight } from './in-flight.js';
import { claimInboxSignature } from '../storage/repositories/inbox-replay-repository.js';
import { inboxAfterWork } from './inbox-routes.js';

export interface Federation {
  /** Mounted before the HTML pages: the same URLs answer ActivityPub JSON. */
  routes: RequestHandler[];
  /** Hooks apex's inbox event to Hearth once the Express app exists. */
  attach(app: Express): void;
  worker: DeliveryWorker;
  remotePosts: RemotePostService;
  /** Circles members follow on other servers (the web layer's "Followed circles"). */
  followed: FollowedCircleService;
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

/** Everything ActivityPub, composed: apex on PostgreSQL, Hearth's inbox checks, publishing and delivery. */
export function createFederation(o: {
  db: Database;
  config: Config;
  services: Omit<Services, 'followed'>;
  events: DomainEvents;
  clock: Clock;
  logger: Logger;
  version: string;
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
  const remotePosts = new RemotePostService(o.db, o.services.circles, o.events, o.clock, (q, actorId, circleId) => o.services.moderation.safety.remoteMayPost(q, actorId, circleId));
  const worker = new DeliveryWorker({ db: o.db, policy, logger: o.logger, userAgent: `Hearth/${o.version} (+${origin})`, isBlockedHost: (host) => o.services.moderation.isBlockedHost(host) });
  const onQueued = () => worker.nudge();
  const followed = new FollowedCircleService(o.db, new ApexRemoteGroups(apex, localActors, policy, onQueued), renderMarkdown, o.events, o.clock);
  const publisher = new OutboxPublisher({ apex, services: o.services, followed, localActors, origin, iris, logger: o.logger, onQueued });
  publisher.subscribe(events);
  new ModerationPublisher({ apex, db: o.db, services: o.services, localActors, publisher, iris, origin, logger: o.logger, onQueued }).subscribe(events);
  new MeetingPublisher({ apex, services: o.services, localActors, origin, iris, logger: o.logger, onQueued }).subscribe(events);
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

  const routes: RequestHandler[] = [
    wellKnownRoutes({ db: o.db, publicUrl: o.config.publicUrl, iris, instance: o.services.instance, clock: o.clock }),
    activityPubGetRoutes({ services: o.services, iris, keys, publicUrl: o.config.publicUrl, departed: (handle) => farewell.tombstone(handle) }),
    inboxRoutes({
      apex,
      verifier: new InboxVerifier(apex, o.clock, o.logger, (signature, ttlMs) => claimInboxSignature(o.db, signature, ttlMs)),
      localActors,
      recipients: new InboxRouter(origin, o.services, remotePosts),
      gate: o.services.moderation.gate,
      direct: directHandler({ apex, remotePosts, followed, origin, logger: o.logger, moderation: o.services.moderation, members: o.services.members }),
      logger: o.logger,
      inFlight,
    }),
    collections,
  ];

  const handle = inboxHandler({ apex, remotePosts, followed, origin, logger: o.logger, onQueued });
  return {
    routes,
    worker,
    remotePosts,
    store,
    followed,
    farewell,
    attach(app) {
      // Express's app is an EventEmitter; its typings only know "mount".
      (app as unknown as NodeJS.EventEmitter).on('apex-inbox', (event: InboxEvent) => {
        const handed = inboxAfterWork.get(event);
        void inFlight.track(handle(event)).finally(() => handed?.());
      });
    },
    async settled() {
      await inFlight.idle();
      await worker.idle();
      await inFlight.idle();
    },
  };
}
