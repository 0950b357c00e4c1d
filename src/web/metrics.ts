import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthService } from '../domain/health/health-service.js';
import type { InboxTally } from '../domain/health/inbox-tally.js';

/**
 * GET /metrics for Prometheus (prom-client): requests by route pattern (never
 * the address asked for), the delivery queue by server, incoming activities
 * accepted and refused by reason, database connections, process memory.
 * Nothing here counts people or what they read.
 *
 * Only answered to a request from this machine (loopback, not passed on by a
 * proxy) or one with `Authorization: Bearer <METRICS_TOKEN>`; anyone else
 * gets the ordinary 404 page.
 */
export interface Metrics {
  registry: Registry;
  /** Times and counts every request (mount first). */
  requests: RequestHandler;
  /** Counts the inboxes' answers (mount before the federation routes). */
  inboxAnswers: RequestHandler;
  /** The /metrics route itself. */
  route: RequestHandler;
}

const INBOX_PATH = /^\/(inbox|actor\/inbox|u\/[^/]+\/inbox|c\/[^/]+\/inbox)\/?$/;

/** Why an inbox said no, from its status (a few fixed words: bounded labels). */
export function inboxRefusalReason(status: number): string {
  switch (status) {
    case 400:
      return 'malformed activity';
    case 401:
      return 'signature check failed';
    case 403:
      return 'blocked server or wrong author';
    case 404:
      return 'no such recipient';
    case 413:
      return 'too large';
    case 415:
      return 'not an activity';
    case 429:
      return 'too many key fetches';
    default:
      return status >= 500 ? 'error on this server' : `other (${Math.floor(status / 100)}xx)`;
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** May this request read the metrics? */
export function metricsAllowed(req: Request, token: string | undefined): boolean {
  const auth = req.get('authorization');
  if (token && auth?.startsWith('Bearer ')) return timingSafeEqual(digest(auth.slice(7)), digest(token));
  // A reverse proxy on the same machine makes every visitor look local: what it passes on is not.
  const forwarded = req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined;
  return isLoopback(req.socket.remoteAddress) && !forwarded;
}

/** The route pattern a request matched ('(none)' when no route did: static files, cached pages, 404s). */
function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  const p = route?.path;
  if (typeof p === 'string') return `${req.baseUrl}${p}`;
  if (p instanceof RegExp || Array.isArray(p)) return String(p);
  if (req.path.startsWith('/static/')) return '/static';
  return '(none)';
}

export function createMetrics(o: { health: HealthService; inbox: InboxTally; token: string | undefined }): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'hearth_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hearth_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Counter({
    name: 'hearth_inbox_activities_total',
    help: 'Incoming activities accepted or refused (by reason) since the process started',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
    collect() {
      const t = o.inbox.snapshot();
      this.reset();
      this.inc({ outcome: 'accepted', reason: '' }, t.accepted);
      for (const r of t.refused) this.inc({ outcome: 'refused', reason: r.reason }, r.count);
    },
  });
  const queueDepth = new Gauge({
    name: 'hearth_delivery_queue_depth',
    help: 'Deliveries waiting in the queue, by remote host',
    labelNames: ['host'] as const,
    registers: [registry],
  });
  const queueFailing = new Gauge({
    name: 'hearth_delivery_failing',
    help: 'Waiting deliveries that failed at least once, by remote host',
    labelNames: ['host'] as const,
    registers: [registry],
  });
  const givenUp = new Gauge({
    name: 'hearth_delivery_given_up',
    help: 'Deliveries given up after their last attempt, by remote host (since migration 0020)',
    labelNames: ['host'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'hearth_db_pool_connections',
    help: 'Database connections by state (embedded PGlite: 1 total)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = o.health.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  new Gauge({
    name: 'hearth_process_memory_bytes',
    help: 'Memory used by this process, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const m = process.memoryUsage();
      this.set({ kind: 'rss' }, m.rss);
      this.set({ kind: 'heap_total' }, m.heapTotal);
      this.set({ kind: 'heap_used' }, m.heapUsed);
      this.set({ kind: 'external' }, m.external);
      this.set({ kind: 'array_buffers' }, m.arrayBuffers);
    },
  });
  new Gauge({ name: 'hearth_info', help: "Hearth's version", labelNames: ['version'] as const, registers: [registry] }).set({ version: o.health.version }, 1);

  const requestsMiddleware: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.once('finish', () => {
      const route = routeOf(req);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };

  const inboxAnswers: RequestHandler = (req, res, next) => {
    if (req.method === 'POST' && INBOX_PATH.test(req.path)) {
      res.once('finish', () => {
        if (res.statusCode < 300) o.inbox.accepted();
        else o.inbox.refused(inboxRefusalReason(res.statusCode));
      });
    }
    next();
  };

  const route: RequestHandler = (req, res, next) => {
    if (!metricsAllowed(req, o.token)) return next();
    o.health
      .queue()
      .then(async ({ servers, giveUps }) => {
        queueDepth.reset();
        queueFailing.reset();
        givenUp.reset();
        for (const s of servers) {
          queueDepth.set({ host: s.host }, s.waiting);
          queueFailing.set({ host: s.host }, s.failing);
        }
        for (const g of giveUps) givenUp.set({ host: g.host }, g.givenUp);
        const text = await registry.metrics();
        res.set('Cache-Control', 'no-store').type(registry.contentType).send(text);
      })
      .catch(next);
  };

  return {
    registry,
    requests: requestsMiddleware,
    inboxAnswers,
    route,
  };
}
