import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from '../../../src/federation/address-policy.js';
import { remoteRequest, RemoteFetchError, type FetchPolicy } from '../../../src/federation/safe-fetch.js';

const OPEN: FetchPolicy = { allowPrivateAddresses: true, allowHttp: true, timeoutMs: 500, maxBytes: 1000 };

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (e) {
    return e instanceof RemoteFetchError ? e.problem : `other: ${(e as Error).message}`;
  }
}

describe('fetching from other servers', () => {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/big') return void res.end('x'.repeat(5000));
      if (req.url === '/stream') {
        res.write('x'.repeat(600));
        return void setTimeout(() => res.end('y'.repeat(600)), 10);
      }
      res.setHeader('content-type', 'application/activity+json');
      res.end(JSON.stringify({ ok: true, method: req.method }));
    });
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0']) {
      expect(isPublicAddress(a), a).to.equal(false);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:93.184.216.34']) expect(isPublicAddress(a), a).to.equal(true);
  });

  it('refuses IPv6 ranges that only wrap IPv4, and other non-global IPv6', () => {
    const refused: Record<string, string[]> = {
      'NAT64 (64:ff9b::/96), even of a public address': ['64:ff9b::7f00:1', '64:ff9b::a00:1', '64:ff9b::5db8:d822', '64:ff9b:1::a00:1'],
      '6to4 (2002::/16)': ['2002:7f00:1::1', '2002:a00:1::1', '2002:5db8:d822::1'],
      'Teredo (2001::/32)': ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001::1'],
      'site-local (fec0::/10)': ['fec0::1', 'feff::1'],
      'IPv4-compatible (::/96)': ['::7f00:1', '::a00:1'],
      'IPv4-mapped private': ['::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1'],
      'documentation and benchmarking': ['2001:db8::1', '2001:2::1', '3fff::1', '192.0.2.1', '198.18.0.1'],
      'discard, multicast, unspecified': ['100::1', 'ff02::1', '::', '255.255.255.255'],
      'not an address': ['', 'localhost', '0x7f.1', '127.1'],
    };
    for (const [range, addresses] of Object.entries(refused)) {
      for (const a of addresses) expect(isPublicAddress(a), `${range}: ${a}`).to.equal(false);
    }
  });

  it('fetches within the policy', async () => {
    const res = await remoteRequest(`${base}/x`, OPEN);
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.body.toString())).to.deep.equal({ ok: true, method: 'GET' });
  });

  it('refuses plain http and private addresses unless allowed', async () => {
    expect(await problemOf(remoteRequest(`${base}/x`, { ...OPEN, allowHttp: false }))).to.equal('http_not_allowed');
    expect(await problemOf(remoteRequest(`${base}/x`, { ...OPEN, allowPrivateAddresses: false }))).to.equal('private_address');
    expect(await problemOf(remoteRequest('https://localhost/x', { ...OPEN, allowPrivateAddresses: false }))).to.equal('private_address');
    expect(await problemOf(remoteRequest('https://[::1]/x', { ...OPEN, allowPrivateAddresses: false }))).to.equal('private_address');
    expect(await problemOf(remoteRequest('ftp://example.org/x', OPEN))).to.equal('http_not_allowed');
    expect(await problemOf(remoteRequest('not a url', OPEN))).to.equal('bad_url');
  });

  it('gives up on slow and oversized answers', async () => {
    expect(await problemOf(remoteRequest(`${base}/slow`, OPEN))).to.equal('timeout');
    expect(await problemOf(remoteRequest(`${base}/big`, OPEN))).to.equal('too_large');
    expect(await problemOf(remoteRequest(`${base}/stream`, OPEN))).to.equal('too_large');
  });
});
