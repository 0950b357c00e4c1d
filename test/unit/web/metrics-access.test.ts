import { expect } from 'chai';
import type { Request } from 'express';
import { inboxRefusalReason, metricsAllowed } from '../../../src/web/metrics.js';

/** Just what metricsAllowed reads of a request. */
function req(remoteAddress: string, headers: Record<string, string> = {}): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { socket: { remoteAddress }, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

describe('who may read /metrics', () => {
  const token = 'a-metrics-token-long-enough';

  it('lets in this machine (IPv4, IPv6, mapped) when no proxy passed the request on', () => {
    for (const address of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1']) expect(metricsAllowed(req(address), undefined), address).to.equal(true);
  });

  it('keeps out other addresses, and local requests a proxy passed on, without the token', () => {
    expect(metricsAllowed(req('203.0.113.5'), token)).to.equal(false);
    expect(metricsAllowed(req('10.0.0.2'), undefined)).to.equal(false);
    expect(metricsAllowed(req('127.0.0.1', { 'X-Forwarded-For': '203.0.113.5' }), token)).to.equal(false);
    expect(metricsAllowed(req('127.0.0.1', { Forwarded: 'for=203.0.113.5' }), token)).to.equal(false);
  });

  it('lets in anyone with the right bearer token, and no one with a wrong one', () => {
    expect(metricsAllowed(req('203.0.113.5', { Authorization: `Bearer ${token}` }), token)).to.equal(true);
    expect(metricsAllowed(req('203.0.113.5', { Authorization: 'Bearer nope' }), token)).to.equal(false);
    expect(metricsAllowed(req('127.0.0.1', { Authorization: 'Bearer nope' }), token)).to.equal(false);
    // No token configured: a bearer header opens nothing.
    expect(metricsAllowed(req('203.0.113.5', { Authorization: 'Bearer ' }), undefined)).to.equal(false);
  });

  it('names inbox refusals with a few fixed words', () => {
    expect(inboxRefusalReason(401)).to.equal('signature check failed');
    expect(inboxRefusalReason(503)).to.equal('error on this server');
    expect(inboxRefusalReason(409)).to.equal('other (4xx)');
  });
});
