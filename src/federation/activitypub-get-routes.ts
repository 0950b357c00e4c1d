import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HearthError } from '../domain/errors.js';
import { idParam } from '../http/params.js';
import { asyncHandler } from '../http/async-handler.js';
import type { Services } from '../services.js';
import type { ActorIris } from './actor-iris.js';
import type { ActorKeys } from './actor-keys.js';
import { serializeGroup, serializeInstanceActor, serializePerson } from './serializers/actors.js';
import { noteIris, serializeNote, serializeTombstone } from './serializers/note.js';
import { serializeEvent, serializeEventTombstone } from './serializers/event.js';
import { ACTIVITY_JSON, HEARTH_CONTEXT, LD_JSON_AS } from './vocabulary.js';

/** Does this request ask for ActivityPub JSON rather than a page? */
export function wantsActivityJson(req: Request): boolean {
  // The profile-qualified type is offered as such: a media range with
  // parameters only matches an offer with the same parameters.
  const best = req.accepts(['text/html', ACTIVITY_JSON, LD_JSON_AS, 'application/ld+json', 'application/json']);
  return best === ACTIVITY_JSON || best === LD_JSON_AS || best === 'application/ld+json';
}

function sendActivityJson(res: Response, body: unknown, status = 200): void {
  res.status(status).type(`${ACTIVITY_JSON}; charset=utf-8`).send(JSON.stringify(body));
}

/**
 * The same URLs people open in a browser answer ActivityPub JSON to servers:
 * circles (Group), members (Person), posts (Note), threads (their FEP-7888
 * context collection) and the instance actor. Anything else falls through to
 * the HTML pages.
 */
export function activityPubGetRoutes(o: {
  services: Omit<Services, 'followed'>;
  iris: ActorIris;
  keys: ActorKeys;
  publicUrl: URL;
  /** The Tombstone of a member who left (answered 410), if this handle was one. */
  departed?: (handle: string) => Promise<Record<string, unknown> | undefined>;
}): Router {
  const router = Router();
  const iris = noteIris(o.iris, o.publicUrl.origin);

  // Pages and JSON share these URLs: caches must keep them apart.
  router.use(['/c', '/u', '/p', '/actor'], (req, res, next) => {
    res.vary('Accept');
    next();
  });

  const onlyJson = (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    asyncHandler(async (req: Request, res: Response, next: NextFunction) => {
      if (!wantsActivityJson(req)) return next();
      try {
        await handler(req, res);
      } catch (error) {
        if (error instanceof HearthError) return sendActivityJson(res, { error: error.message }, error.status);
        throw error;
      }
    });

  router.get(
    '/actor',
    onlyJson(async (_req, res) => {
      const keys = await o.keys.get({ kind: 'instance' });
      sendActivityJson(res, serializeInstanceActor(o.publicUrl.host, o.iris, keys.publicKeyPem));
    }),
  );

  router.get(
    '/c/:slug',
    onlyJson(async (req, res) => {
      const circle = await o.services.circles.getActor(req.params.slug!);
      // A members-only circle answers like its page does to a visitor: an
      // ActivityPub request is never a member, so not even its name is shown.
      if (circle.visibility !== 'public') return sendActivityJson(res, { error: 'Not found' }, 404);
      const keys = await o.keys.get({ kind: 'circle', slug: circle.slug });
      sendActivityJson(res, serializeGroup(circle, o.iris, keys.publicKeyPem));
    }),
  );

  router.get(
    '/u/:handle',
    onlyJson(async (req, res) => {
      const gone = await o.departed?.(req.params.handle!);
      if (gone) return sendActivityJson(res, gone, 410);
      const member = await o.services.members.getByHandle(req.params.handle!);
      const keys = await o.keys.get({ kind: 'member', handle: member.handle });
      sendActivityJson(res, serializePerson(member, o.iris, keys.publicKeyPem));
    }),
  );

  // A members-only circle's collections answer 404 to everyone, whatever they
  // ask for (apex serves them after this router).
  router.get(
    ['/c/:slug/followers', '/c/:slug/outbox', '/c/:slug/following', '/c/:slug/inbox'],
    asyncHandler(async (req: Request, res: Response, next: NextFunction) => {
      const circle = await o.services.circles.getActor(req.params.slug!).catch((error: unknown) => {
        if (error instanceof HearthError && error.kind === 'not_found') return undefined;
        throw error;
      });
      if (circle && circle.visibility === 'public') return next();
      sendActivityJson(res, { error: 'Not found' }, 404);
    }),
  );

  // Whom a member follows is not shared: the collection their actor names is always empty.
  router.get(
    '/u/:handle/following',
    onlyJson(async (req, res) => {
      const member = await o.services.members.getByHandle(req.params.handle!);
      if (!member.profileListed) return sendActivityJson(res, { error: 'Not found' }, 404);
      const id = `${o.iris.member(member.handle)}/following`;
      sendActivityJson(res, { '@context': HEARTH_CONTEXT, id, type: 'OrderedCollection', totalItems: 0, orderedItems: [] });
    }),
  );

  router.get(
    '/p/:id',
    onlyJson(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) return sendActivityJson(res, { error: 'Not found' }, 404);
      const { post, thread, circle, openingPostId } = await o.services.threads.publicPost(id);
      if (post.state === 'deleted' || post.state === 'removed') return sendActivityJson(res, serializeTombstone(post, iris), 410);
      if (post.state !== 'visible' || !post.author) return sendActivityJson(res, { error: 'Not found' }, 404);
      const author = await o.services.members.getByHandle(post.author.handle).catch(() => undefined);
      if (!author?.federatePosts) return sendActivityJson(res, { error: 'Not found' }, 404);
      const mentioned = await o.services.mentions.of(post.id);
      const mentions = [
        ...mentioned.memberHandles.map((h) => ({ href: iris.member(h), name: `@${h}@${o.publicUrl.host}`, remote: false })),
        ...mentioned.remoteActorIris.map((href) => ({ href, remote: true })),
      ];
      sendActivityJson(res, serializeNote(post, thread, circle, iris, openingPostId, mentions));
    }),
  );

  router.get(
    '/c/:slug/t/:id',
    onlyJson(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) return sendActivityJson(res, { error: 'Not found' }, 404);
      const { thread, circle, postIds } = await o.services.threads.publicThread(req.params.slug!, id);
      sendActivityJson(res, {
        '@context': HEARTH_CONTEXT,
        id: iris.thread(circle.slug, thread.id),
        type: 'OrderedCollection',
        name: thread.title,
        attributedTo: o.iris.circle(circle.slug),
        audience: o.iris.circle(circle.slug),
        totalItems: postIds.length,
        orderedItems: postIds.map((p) => iris.post(p)),
      });
    }),
  );

  router.get(
    '/c/:slug/meetings/:id',
    onlyJson(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) return sendActivityJson(res, { error: 'Not found' }, 404);
      const found = await o.services.meetings.publicMeeting(id, req.params.slug!.toLowerCase());
      if (found.meeting.cancelledAt) return sendActivityJson(res, serializeEventTombstone(found, o.publicUrl.origin), 410);
      sendActivityJson(res, serializeEvent(found, o.iris, o.publicUrl.origin, (await o.services.instance.get())?.language));
    }),
  );
  return router;
}
