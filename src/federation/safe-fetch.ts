import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy.js';
import { parseUrl } from '../domain/urls.js';

export interface FetchPolicy {
  /** FEDERATION_ALLOW_PRIVATE_ADDRESSES: tests only. */
  allowPrivateAddresses: boolean;
  /** FEDERATION_ALLOW_HTTP: tests only. */
  allowHttp: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  allowPrivateAddresses: false,
  allowHttp: false,
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
};

export type RemoteFetchProblem = 'bad_url' | 'http_not_allowed' | 'private_address' | 'timeout' | 'too_large' | 'network';

export class RemoteFetchError extends Error {
  constructor(
    readonly problem: RemoteFetchProblem,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteFetchError';
  }
}

export interface RemoteResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A DNS lookup that refuses names resolving to non-public addresses, checked at connect time (no rebinding). */
function guardedLookup(policy: FetchPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const usable = policy.allowPrivateAddresses ? list : list.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) {
        return callback(new RemoteFetchError('private_address', `${hostname} resolves only to private addresses`), '', 4);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/**
 * One HTTP request to another server, within the policy: https only, public
 * addresses only, a time limit and a size limit on the answer.
 */
export function remoteRequest(
  url: string,
  policy: FetchPolicy,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RemoteResponse> {
  const target = parseUrl(url);
  if (!target) return Promise.reject(new RemoteFetchError('bad_url', `Not a URL: ${url.slice(0, 200)}`));
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && policy.allowHttp)) {
    return Promise.reject(new RemoteFetchError('http_not_allowed', `Only https:// addresses are fetched, not ${target.protocol}`));
  }
  if (target.username || target.password) return Promise.reject(new RemoteFetchError('bad_url', 'URLs with credentials are not fetched'));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allowPrivateAddresses && !isPublicAddress(host)) {
    return Promise.reject(new RemoteFetchError('private_address', `${host} is not a public address`));
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: init.method ?? 'GET', headers: init.headers, lookup: guardedLookup(policy), timeout: policy.timeoutMs },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          res.destroy();
          return reject(new RemoteFetchError('too_large', `The answer from ${target.host} is larger than ${policy.maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxBytes) {
            res.destroy();
            reject(new RemoteFetchError('too_large', `The answer from ${target.host} is larger than ${policy.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => reject(new RemoteFetchError('network', e.message)));
      },
    );
    req.on('timeout', () => {
      req.destroy(new RemoteFetchError('timeout', `${target.host} did not answer within ${policy.timeoutMs} ms`));
    });
    req.on('error', (e) => reject(e instanceof RemoteFetchError ? e : new RemoteFetchError('network', e.message)));
    // Abort the whole exchange, not only idle sockets, after the time limit.
    const timer = setTimeout(() => req.destroy(new RemoteFetchError('timeout', `${target.host} did not answer within ${policy.timeoutMs} ms`)), policy.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
