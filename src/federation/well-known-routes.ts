import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import type { Clock } from '../domain/clock.js';
import type { InstanceService } from '../domain/instance/instance-service.js';
import { packageRoot } from '../paths.js';
import type { Queryable } from '../storage/database.js';
import { findFederatedActor, usageFigures } from '../storage/repositories/directory-repository.js';
import { asyncHandler } from '../http/async-handler.js';
import type { ActorIris } from './actor-iris.js';

const NODEINFO_SCHEMA = 'http://nodeinfo.diaspora.software/ns/schema/2.1';
const AS_TYPE = 'https://www.w3.org/ns/activitystreams#type';
const VERSION = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function problem(res: Response, status: number, message: string): void {
  res.status(status).type('application/json').send(JSON.stringify({ error: message }));
}

/** Splits a WebFinger resource into a handle, if it names an actor on this host. */
export function handleFromResource(resource: string, publicUrl: URL, iris: ActorIris): string | undefined {
  const acct = /^acct:@?([^@\s]+)@([^@\s]+)$/i.exec(resource);
  if (acct) return acct[2]!.toLowerCase() === publicUrl.host.toLowerCase() ? acct[1]!.toLowerCase() : undefined;
  for (const prefix of [iris.circle(''), iris.member('')]) {
    if (resource.startsWith(prefix)) {
      const name = resource.slice(prefix.length);
      return /^[a-z][a-z0-9_]*$/.test(name) ? name : undefined;
    }
  }
  return undefined;
}

/** WebFinger (finding @name@host) and NodeInfo 2.1 (describing the instance). */
export function wellKnownRoutes(o: {
  db: Queryable;
  publicUrl: URL;
  iris: ActorIris;
  instance: InstanceService;
  clock: Clock;
}): Router {
  const router = Router();

  router.get(
    '/.well-known/webfinger',
    asyncHandler(async (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      const resource = req.query.resource;
      if (typeof resource !== 'string' || resource.length === 0 || resource.length > 500) {
        return problem(res, 400, 'Ask with ?resource=acct:name@host');
      }
      const instance = await o.instance.get();
      const name = handleFromResource(resource.trim(), o.publicUrl, o.iris);
      const entry = instance && instance.federationMode !== 'off' && name ? await findFederatedActor(o.db, name) : undefined;
      if (!entry) return problem(res, 404, 'No one here answers to that name.');
      const id = entry.kind === 'circle' ? o.iris.circle(entry.slug) : o.iris.member(entry.handle);
      const handle = entry.kind === 'circle' ? entry.slug : entry.handle;
      res.type('application/jrd+json').send(
        JSON.stringify({
          subject: `acct:${handle}@${o.publicUrl.host}`,
          aliases: [id],
          links: [
            {
              rel: 'self',
              type: 'application/activity+json',
              href: id,
              properties: { [AS_TYPE]: entry.kind === 'circle' ? 'Group' : 'Person' },
            },
            { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: id },
          ],
        }),
      );
    }),
  );

  router.get('/.well-known/nodeinfo', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.json({ links: [{ rel: NODEINFO_SCHEMA, href: `${o.publicUrl.origin}/nodeinfo/2.1` }] });
  });

  router.get(
    '/nodeinfo/2.1',
    asyncHandler(async (_req, res) => {
      const instance = await o.instance.get();
      const usage = await usageFigures(o.db, o.clock.now());
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.type(`application/json; profile="${NODEINFO_SCHEMA}#"`).send(
        JSON.stringify({
          version: '2.1',
          software: { name: 'hearth', version: VERSION },
          protocols: ['activitypub'],
          services: { inbound: [], outbound: [] },
          openRegistrations: instance?.registrationMode === 'open',
          usage: {
            users: { total: usage.users, activeMonth: usage.activeMonth, activeHalfyear: usage.activeHalfyear },
            localPosts: usage.localPosts,
          },
          metadata: { nodeName: instance?.name ?? 'Hearth', nodeDescription: instance?.description ?? '' },
        }),
      );
    }),
  );
  return router;
}
