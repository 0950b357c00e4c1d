import type http from 'node:http';
import { serveOnLoopback } from './loopback-server.js';
import {
  Accept,
  Announce,
  Create,
  createFederation,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  Like,
  MemoryKvStore,
  Note,
  Person,
  PUBLIC_COLLECTION,
  type Activity,
  type Federation,
} from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';

/**
 * An independent ActivityPub implementation (Fedify) as the remote peer: a
 * small Mastodon-like server with one account, @mo. It verifies every
 * signature Hearth sends with Fedify's own code, and signs what it sends.
 */
export class FedifyPeer {
  readonly received: Activity[] = [];
  origin = '';
  private federation!: Federation<void>;

  async start(): Promise<void> {
    const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    this.federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
    this.federation
      .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
        if (identifier !== 'mo') return null;
        const [pair] = await ctx.getActorKeyPairs(identifier);
        return new Person({
          id: ctx.getActorUri(identifier),
          preferredUsername: 'mo',
          name: 'Mo from Fedify',
          inbox: ctx.getInboxUri(identifier),
          endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
          publicKey: pair!.cryptographicKey,
        });
      })
      .setKeyPairsDispatcher(async () => [keys]);
    const record = async (_ctx: unknown, activity: Activity) => {
      this.received.push(activity);
    };
    this.federation
      .setInboxListeners('/users/{identifier}/inbox', '/inbox')
      .on(Accept, record)
      .on(Announce, record)
      .on(Create, record);

    const served = await serveOnLoopback((req, res) => void this.handle(req, res));
    this.origin = served.origin;
    this.stop = served.stop;
  }

  stop: () => Promise<void> = async () => undefined;

  get actorId(): URL {
    return new URL(`${this.origin}/users/mo`);
  }

  private context() {
    return this.federation.createContext(new URL(this.origin), undefined);
  }

  /** Sends an activity as @mo to a Hearth actor (looked up with Fedify). */
  async sendTo(actorIri: string, build: (ctx: ReturnType<FedifyPeer['context']>) => Activity): Promise<void> {
    const ctx = this.context();
    const recipient = await ctx.lookupObject(actorIri);
    if (!recipient || !('inboxId' in recipient)) throw new Error(`Fedify could not look up ${actorIri}`);
    await ctx.sendActivity({ identifier: 'mo' }, recipient as Person, build(ctx));
  }

  follow(groupIri: string): Promise<void> {
    return this.sendTo(groupIri, (ctx) => new Follow({ id: new URL(`${this.origin}/follows/1`), actor: ctx.getActorUri('mo'), object: new URL(groupIri) }));
  }

  reply(groupIri: string, inReplyTo: string, content: string, contentWarning: string): Promise<void> {
    return this.sendTo(groupIri, (ctx) => {
      const note = new Note({
        id: new URL(`${this.origin}/notes/1`),
        attribution: ctx.getActorUri('mo'),
        replyTarget: new URL(inReplyTo),
        content,
        summary: contentWarning,
        sensitive: true,
        to: PUBLIC_COLLECTION,
        ccs: [new URL(groupIri)],
        published: Temporal.Now.instant(),
      });
      return new Create({ id: new URL(`${this.origin}/notes/1/create`), actor: ctx.getActorUri('mo'), object: note, to: PUBLIC_COLLECTION, ccs: [new URL(groupIri)] });
    });
  }

  like(groupIri: string, postIri: string): Promise<void> {
    return this.sendTo(groupIri, (ctx) => new Like({ id: new URL(`${this.origin}/likes/1`), actor: ctx.getActorUri('mo'), object: new URL(postIri) }));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const request = new Request(`${this.origin}${req.url}`, {
      method: req.method,
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    });
    const response = await this.federation.fetch(request, { contextData: undefined });
    res.statusCode = response.status;
    response.headers.forEach((v, k) => res.setHeader(k, v));
    res.end(Buffer.from(await response.arrayBuffer()));
  }
}
