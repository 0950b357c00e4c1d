import { generateKeyPairSync } from 'node:crypto';
import type http from 'node:http';
import { serveOnLoopback } from './loopback-server.js';
import { readSignature, signRequest, verifySignature } from '../../src/federation/http-signatures.js';

export interface Received {
  path: string;
  activity: Record<string, unknown>;
  /** undefined when Hearth's signature verified; the problem otherwise. */
  signatureProblem: string | undefined;
}

/**
 * A tiny ActivityPub server standing in for a Mastodon account in tests: it
 * serves one actor with a key, records what reaches its inboxes (checking
 * Hearth's signatures against the key it fetches from Hearth), and sends
 * signed activities.
 */
export class FakeRemoteServer {
  readonly received: Received[] = [];
  /** Every request that reached this server ("GET /users/bob"), Hearth's key fetches included. */
  readonly requests: string[] = [];
  private readonly keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  origin = '';

  get actorId(): string {
    return `${this.origin}/users/bob`;
  }

  async start(): Promise<void> {
    const served = await serveOnLoopback((req, res) => void this.handle(req, res));
    this.origin = served.origin;
    this.stop = served.stop;
  }

  stop: () => Promise<void> = async () => undefined;

  actor(): Record<string, unknown> {
    return {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: this.actorId,
      type: 'Person',
      preferredUsername: 'bob',
      name: 'Bob Remote',
      inbox: `${this.actorId}/inbox`,
      outbox: `${this.actorId}/outbox`,
      followers: `${this.actorId}/followers`,
      url: `${this.origin}/@bob`,
      endpoints: { sharedInbox: `${this.origin}/inbox` },
      publicKey: { id: `${this.actorId}#main-key`, owner: this.actorId, publicKeyPem: this.keys.publicKey },
    };
  }

  /** Sends a signed activity to Hearth; `tamper` may change what is sent after signing. */
  async send(
    url: string,
    activity: Record<string, unknown>,
    options: { sign?: boolean; date?: Date; body?: string; keyId?: string; digest?: string } = {},
  ): Promise<{ status: number; text: string }> {
    const body = options.body ?? JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', ...activity });
    const target = new URL(url);
    const headers: Record<string, string> = { 'content-type': 'application/activity+json' };
    if (options.sign !== false) {
      Object.assign(
        headers,
        signRequest({
          method: 'POST',
          url: target,
          body: options.body === undefined ? body : JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', ...activity }),
          keyId: options.keyId ?? `${this.actorId}#main-key`,
          privateKeyPem: this.keys.privateKey,
          ...(options.date ? { now: options.date } : {}),
        }),
      );
    }
    if (options.digest !== undefined) headers.digest = options.digest;
    this.last = { url, headers, body };
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }

  private last: { url: string; headers: Record<string, string>; body: string } | undefined;

  /** Sends the previous request again, byte for byte (a replay). */
  async replay(): Promise<{ status: number; text: string }> {
    const { url, headers, body } = this.last!;
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    this.requests.push(`${req.method} ${req.url}`);
    if (req.method === 'GET' && req.url?.startsWith('/.well-known/webfinger?')) {
      // WebFinger knows bob only (as Mastodon answers: his actor and his profile page).
      const resource = new URL(req.url, this.origin).searchParams.get('resource');
      if (resource !== `acct:bob@${new URL(this.origin).host}`) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/jrd+json');
      res.end(JSON.stringify({
        subject: resource,
        links: [
          { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: `${this.origin}/@bob` },
          { rel: 'self', type: 'application/activity+json', href: this.actorId },
        ],
      }));
      return;
    }
    if (req.method === 'GET' && req.url === '/users/bob') {
      res.setHeader('content-type', 'application/activity+json');
      res.end(JSON.stringify(this.actor()));
      return;
    }
    if (req.method === 'POST' && (req.url === '/inbox' || req.url === '/users/bob/inbox')) {
      const activity = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      const parts = { method: 'POST', path: req.url, headers: req.headers };
      const parsed = readSignature(parts);
      let problem: string | undefined = typeof parsed === 'string' ? parsed : undefined;
      if (typeof parsed !== 'string') {
        const keyOwner = parsed.keyId.split('#')[0]!;
        const actor = (await (await fetch(keyOwner, { headers: { accept: 'application/activity+json' } })).json()) as { publicKey: { publicKeyPem: string } };
        problem = verifySignature(parts, body, parsed, actor.publicKey.publicKeyPem, new Date());
      }
      this.received.push({ path: req.url, activity, signatureProblem: problem });
      res.statusCode = 202;
      res.end();
      return;
    }
    res.statusCode = 404;
    res.end();
  }
}
